import { PERL_CLASSES } from "./go-char-classes";
import { parseClass, parseUnicodeClass } from "./go-regex-class";
import { parseEscape } from "./go-regex-escape";
import { DOT_NEWLINE, FOLD_CASE, MULTI_LINE, parseGroupFlags, type GroupOpening } from "./go-regex-group";
import type { GoRegexAssertion, GoRegexNode } from "./go-regex-node";
import { MAX_REPEAT, parseRepeatBraces, repeatIsValid } from "./go-regex-repeat";
import { InvalidGoRegex, codePointWidth, refuse } from "./go-regex-scan";

/** The outcome of `parseGoRegex`: a tree, or Go's reason for refusing the pattern. */
export type GoRegexParseResult =
  | { readonly ok: true; readonly node: GoRegexNode }
  | { readonly ok: false; readonly error: string };

/**
 * Parses a pattern as Go's `regexp.Compile` does (RE2 syntax with Perl extensions,
 * regexp/syntax `parse.go`), accepting exactly what Go accepts — so a pattern Go refuses (a
 * lookaround, a backreference, a possessive `a++`, `\Z`, a repeat count over 1000, a group
 * nested over 1000 deep, …) is refused here too, and the condition using it is false
 * (PROTOCOL.md §3.4).
 *
 * Follows Go 1.22–1.24: `(?<name>…)` is accepted, `\p{…}` takes Go's exact category and script
 * names.
 *
 * @example
 * parseGoRegex("(?i)^pro-\\d+$").ok; // true
 * parseGoRegex("(?=a)"); // { ok: false, error: "invalid or unsupported Perl syntax: `(?=`" }
 */
export function parseGoRegex(pattern: string): GoRegexParseResult {
  try {
    return { ok: true, node: new GoRegexParser(pattern).parse() };
  } catch (error) {
    if (error instanceof InvalidGoRegex) return { ok: false, error: error.message };
    throw error;
  }
}

/** Go's limit on the nesting depth of the tree. */
const MAX_HEIGHT = 1000;

interface LeftParen {
  readonly op: "leftParen";
  readonly capture: boolean;
  /** The flags to restore at the closing parenthesis. */
  readonly flags: number;
}
interface VerticalBar {
  readonly op: "verticalBar";
}
type StackEntry = GoRegexNode | LeftParen | VerticalBar;

const VERTICAL_BAR: VerticalBar = { op: "verticalBar" };
const EMPTY: GoRegexNode = { op: "empty", height: 1 };
const ANY_CHAR: GoRegexNode = { op: "anyChar", height: 1 };
const ANY_CHAR_NOT_NEWLINE: GoRegexNode = { op: "anyCharNotNewline", height: 1 };

/** A recursive-descent-free, stack-based parser shaped like Go's, so its quirks carry over. */
class GoRegexParser {
  private readonly stack: StackEntry[] = [];
  private flags = 0;
  private index = 0;

  constructor(private readonly pattern: string) {}

  parse(): GoRegexNode {
    const pattern = this.pattern;
    // Where the previous token's repetition operator started, or −1: Go refuses `a**`.
    let lastRepeat = -1;
    while (this.index < pattern.length) {
      let repeat = -1;
      const start = this.index;
      const code = pattern.charCodeAt(start);
      switch (code) {
        case 0x28: // (
          if (pattern.charCodeAt(start + 1) === 0x3f) {
            this.openGroup(parseGroupFlags(pattern, start, this.flags));
          } else {
            this.stack.push({ op: "leftParen", capture: true, flags: this.flags });
            this.index++;
          }
          break;
        case 0x7c: // |
          this.stack.push(this.concatSinceMarker(), VERTICAL_BAR);
          this.index++;
          break;
        case 0x29: // )
          this.parseRightParen();
          this.index++;
          break;
        case 0x5e: // ^
          this.pushAssertion(this.flags & MULTI_LINE ? "beginLine" : "beginText");
          this.index++;
          break;
        case 0x24: // $
          this.pushAssertion(this.flags & MULTI_LINE ? "endLine" : "endText");
          this.index++;
          break;
        case 0x2e: // .
          this.stack.push(this.flags & DOT_NEWLINE ? ANY_CHAR : ANY_CHAR_NOT_NEWLINE);
          this.index++;
          break;
        case 0x5b: {
          // [
          const characterClass = parseClass(pattern, start);
          this.index = characterClass.end;
          this.pushClass(characterClass.source, characterClass.negated);
          break;
        }
        case 0x2a: // *
        case 0x2b: // +
        case 0x3f: // ?
          this.index++;
          this.repeat(code === 0x2b ? 1 : 0, code === 0x3f ? 1 : -1, false, start, lastRepeat);
          repeat = start;
          break;
        case 0x7b: {
          // {
          const braces = parseRepeatBraces(pattern, start);
          if (braces === undefined) {
            // Not a valid repeat: the brace is a literal, as in Go.
            this.pushLiteral(0x7b);
            this.index++;
            break;
          }
          const { min, max, end } = braces;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            this.fail("invalid repeat count", start, end);
          }
          this.index = end;
          this.repeat(min, max, true, start, lastRepeat);
          repeat = start;
          break;
        }
        case 0x5c: // \
          this.parseBackslash();
          break;
        default: {
          const codePoint = pattern.codePointAt(start) as number;
          this.index += codePointWidth(codePoint);
          this.pushLiteral(codePoint);
        }
      }
      lastRepeat = repeat;
    }
    const node = this.collapseAlternatives();
    if (this.stack.length > 0) this.fail("missing closing )", 0, pattern.length);
    return node;
  }

  private fail(reason: string, start: number, end: number): never {
    refuse(this.pattern, reason, start, end);
  }

  private push(node: GoRegexNode): void {
    if (node.height > MAX_HEIGHT) this.fail("expression nests too deeply", 0, this.pattern.length);
    this.stack.push(node);
  }

  private pushLiteral(codePoint: number): void {
    this.stack.push({ op: "literal", codePoint, foldCase: (this.flags & FOLD_CASE) !== 0, height: 1 });
  }

  private pushAssertion(op: GoRegexAssertion): void {
    this.stack.push({ op, height: 1 });
  }

  private pushClass(source: string, negated: boolean): void {
    this.stack.push({ op: "class", source, negated, foldCase: (this.flags & FOLD_CASE) !== 0, height: 1 });
  }

  /** Applies `*`, `+`, `?` or `{n,m}` to the last item, with Go's checks. */
  private repeat(min: number, max: number, counted: boolean, start: number, lastRepeat: number): void {
    // A trailing `?` only makes it non-greedy, which cannot change whether a match exists.
    if (this.pattern.charCodeAt(this.index) === 0x3f) this.index++;
    if (lastRepeat >= 0) this.fail("invalid nested repetition operator", lastRepeat, this.index);
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || top.op === "leftParen" || top.op === "verticalBar") {
      this.fail("missing argument to repetition operator", start, this.index);
    }
    const node: GoRegexNode = { op: "repeat", sub: top, min, max, counted, height: top.height + 1 };
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      this.fail("invalid repeat count", start, this.index);
    }
    this.stack.pop();
    this.push(node);
  }

  /** `(?P<name>`, `(?flags:` push a parenthesis (restoring the current flags at its end); `(?flags)` sets flags. */
  private openGroup(opening: GroupOpening): void {
    if (opening.kind !== "flags") this.stack.push({ op: "leftParen", capture: opening.kind === "capture", flags: this.flags });
    if (opening.kind !== "capture") this.flags = opening.flags;
    this.index = opening.end;
  }

  /** Pops the items of the current alternative and returns them as one node. */
  private concatSinceMarker(): GoRegexNode {
    const items: GoRegexNode[] = [];
    for (let top = this.stack.at(-1); top !== undefined; top = this.stack.at(-1)) {
      if (top.op === "leftParen" || top.op === "verticalBar") break;
      items.push(top);
      this.stack.pop();
    }
    if (items.length === 0) return EMPTY;
    if (items.length === 1) return items[0];
    items.reverse();
    // Go merges a run of literals into one node; count its height the same way.
    const firstFold = items[0]?.op === "literal" ? items[0].foldCase : undefined;
    const onlyLiterals = items.every((item) => item.op === "literal" && item.foldCase === firstFold);
    const node: GoRegexNode = { op: "concat", subs: items, height: onlyLiterals ? 1 : 1 + maxHeight(items) };
    if (node.height > MAX_HEIGHT) this.fail("expression nests too deeply", 0, this.pattern.length);
    return node;
  }

  /** Pops the alternatives of the current group, down to (not including) its parenthesis. */
  private collapseAlternatives(): GoRegexNode {
    const alternatives = [this.concatSinceMarker()];
    while (this.stack.at(-1)?.op === "verticalBar") {
      this.stack.pop();
      alternatives.push(this.concatSinceMarker());
    }
    if (alternatives.length === 1) return alternatives[0];
    alternatives.reverse();
    // Go merges alternatives that are each one character (a literal, a class, a dot) into one
    // class; count its height the same way.
    const oneClass = alternatives.every(isSingleCharacter);
    const node: GoRegexNode = { op: "alternate", subs: alternatives, height: oneClass ? 1 : 1 + maxHeight(alternatives) };
    if (node.height > MAX_HEIGHT) this.fail("expression nests too deeply", 0, this.pattern.length);
    return node;
  }

  private parseRightParen(): void {
    const body = this.collapseAlternatives();
    const open = this.stack.pop();
    // Go quotes the whole pattern.
    if (open === undefined || open.op !== "leftParen") this.fail("unexpected )", 0, this.pattern.length);
    this.flags = open.flags;
    this.push(open.capture ? { op: "capture", sub: body, height: body.height + 1 } : body);
  }

  private parseBackslash(): void {
    const pattern = this.pattern;
    const start = this.index;
    switch (pattern.charCodeAt(start + 1)) {
      case 0x41: // \A
        this.pushAssertion("beginText");
        this.index += 2;
        return;
      case 0x62: // \b
        this.pushAssertion("wordBoundary");
        this.index += 2;
        return;
      case 0x42: // \B
        this.pushAssertion("noWordBoundary");
        this.index += 2;
        return;
      case 0x43: // \C, "any byte", which Go does not support
        return this.fail("invalid escape sequence", start, start + 2);
      case 0x51: {
        // \Q…\E: everything in between is literal; a missing \E runs to the end.
        const end = pattern.indexOf("\\E", start + 2);
        for (const character of pattern.slice(start + 2, end < 0 ? pattern.length : end)) {
          this.pushLiteral(character.codePointAt(0) as number);
        }
        this.index = end < 0 ? pattern.length : end + 2;
        return;
      }
      case 0x7a: // \z
        this.pushAssertion("endText");
        this.index += 2;
        return;
      case 0x70: // \p
      case 0x50: {
        // \P
        const unicode = parseUnicodeClass(pattern, start);
        this.pushClass(unicode.source, false);
        this.index = unicode.end;
        return;
      }
    }
    const perl = PERL_CLASSES.get(pattern.charAt(start + 1));
    if (perl !== undefined) {
      this.pushClass(perl, false);
      this.index += 2;
      return;
    }
    const escape = parseEscape(pattern, start);
    this.index = escape.end;
    this.pushLiteral(escape.codePoint);
  }


}

function isSingleCharacter(node: GoRegexNode): boolean {
  return node.op === "literal" || node.op === "class" || node.op === "anyChar" || node.op === "anyCharNotNewline";
}

function maxHeight(nodes: readonly GoRegexNode[]): number {
  let height = 0;
  for (const node of nodes) if (node.height > height) height = node.height;
  return height;
}
