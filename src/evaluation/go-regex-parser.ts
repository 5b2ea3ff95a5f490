import { PERL_CLASSES, POSIX_CLASSES, classRange, unicodeClass } from "./go-char-classes";
import type { GoRegexAssertion, GoRegexNode } from "./go-regex-node";

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

/** Thrown inside the parser only; `parseGoRegex` turns it into a result. */
class InvalidGoRegex extends Error {}

const FOLD_CASE = 1;
const MULTI_LINE = 2;
const DOT_NEWLINE = 4;
const NON_GREEDY = 8;
const ALL_FLAGS = FOLD_CASE | MULTI_LINE | DOT_NEWLINE | NON_GREEDY;

/** Go's limits: `{n,m}` counts, and the nesting depth of the tree. */
const MAX_REPEAT = 1000;
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

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isAsciiAlphanumeric(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function hexValue(code: number): number {
  if (isDigit(code)) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function codePointWidth(codePoint: number): number {
  return codePoint > 0xffff ? 2 : 1;
}

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
            this.parseGroupFlags();
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
        case 0x5b: // [
          this.parseClass();
          break;
        case 0x2a: // *
        case 0x2b: // +
        case 0x3f: // ?
          this.index++;
          this.repeat(code === 0x2b ? 1 : 0, code === 0x3f ? 1 : -1, false, start, lastRepeat);
          repeat = start;
          break;
        case 0x7b: {
          // {
          const braces = this.parseRepeatBraces(start);
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
    throw new InvalidGoRegex(`${reason}: \`${this.pattern.slice(start, end)}\``);
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

  /** Go's `parseRepeat`: `{n}`, `{n,}` or `{n,m}` with no leading zeros; `undefined` if it is not one. */
  private parseRepeatBraces(start: number): { min: number; max: number; end: number } | undefined {
    const pattern = this.pattern;
    const first = this.parseRepeatNumber(start + 1);
    if (first === undefined) return undefined;
    let min = first.value;
    let index = first.end;
    if (index >= pattern.length) return undefined;
    let max: number;
    if (pattern.charCodeAt(index) !== 0x2c) {
      max = min;
    } else {
      index++;
      if (index >= pattern.length) return undefined;
      if (pattern.charCodeAt(index) === 0x7d) {
        max = -1;
      } else {
        const second = this.parseRepeatNumber(index);
        if (second === undefined) return undefined;
        max = second.value;
        index = second.end;
        // Too big a number: reported as an invalid count by the caller.
        if (max < 0) min = -1;
      }
    }
    if (index >= pattern.length || pattern.charCodeAt(index) !== 0x7d) return undefined;
    return { min, max, end: index + 1 };
  }

  private parseRepeatNumber(start: number): { value: number; end: number } | undefined {
    const pattern = this.pattern;
    if (start >= pattern.length || !isDigit(pattern.charCodeAt(start))) return undefined;
    if (pattern.charCodeAt(start) === 0x30 && isDigit(pattern.charCodeAt(start + 1))) return undefined;
    let end = start;
    while (end < pattern.length && isDigit(pattern.charCodeAt(end))) end++;
    let value = 0;
    for (let index = start; index < end; index++) {
      if (value >= 1e8) {
        value = -1;
        break;
      }
      value = value * 10 + pattern.charCodeAt(index) - 0x30;
    }
    return { value, end };
  }

  /** `(?flags)`, `(?flags:…)`, `(?P<name>…)` and `(?<name>…)`; everything else after `(?` is an error. */
  private parseGroupFlags(): void {
    const pattern = this.pattern;
    const start = this.index;
    const remaining = pattern.length - start;
    const pythonName = remaining > 4 && pattern.charCodeAt(start + 2) === 0x50 && pattern.charCodeAt(start + 3) === 0x3c;
    const plainName = remaining > 3 && pattern.charCodeAt(start + 2) === 0x3c;
    if (pythonName || plainName) {
      const end = pattern.indexOf(">", start);
      if (end < 0) this.fail("invalid named capture", start, pattern.length);
      const name = pattern.slice(start + (pythonName ? 4 : 3), end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail("invalid named capture", start, end + 1);
      this.stack.push({ op: "leftParen", capture: true, flags: this.flags });
      this.index = end + 1;
      return;
    }
    let index = start + 2;
    let flags = this.flags;
    let negative = false;
    let sawFlag = false;
    while (index < pattern.length) {
      const code = pattern.charCodeAt(index++);
      switch (code) {
        case 0x69: // i
          flags |= FOLD_CASE;
          sawFlag = true;
          continue;
        case 0x6d: // m
          flags |= MULTI_LINE;
          sawFlag = true;
          continue;
        case 0x73: // s
          flags |= DOT_NEWLINE;
          sawFlag = true;
          continue;
        case 0x55: // U
          flags |= NON_GREEDY;
          sawFlag = true;
          continue;
        case 0x2d: // -
          if (negative) break;
          negative = true;
          // Go inverts the flags so that the `|=` above clear them, and inverts back at the end.
          flags = ~flags;
          sawFlag = false;
          continue;
        case 0x3a: // :
        case 0x29: // )
          if (negative) {
            if (!sawFlag) break;
            flags = ~flags;
          }
          if (code === 0x3a) this.stack.push({ op: "leftParen", capture: false, flags: this.flags });
          this.flags = flags & ALL_FLAGS;
          this.index = index;
          return;
      }
      break;
    }
    this.fail("invalid or unsupported Perl syntax", start, index);
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
    const node: GoRegexNode = { op: "alternate", subs: alternatives, height: 1 + maxHeight(alternatives) };
    if (node.height > MAX_HEIGHT) this.fail("expression nests too deeply", 0, this.pattern.length);
    return node;
  }

  private parseRightParen(): void {
    const body = this.collapseAlternatives();
    const open = this.stack.pop();
    if (open === undefined || open.op !== "leftParen") this.fail("unexpected )", 0, this.index + 1);
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
        const unicode = this.parseUnicodeClass(start);
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
    const escape = this.parseEscape(start);
    this.index = escape.end;
    this.pushLiteral(escape.codePoint);
  }

  /** Go's `parseEscape`, for a backslash at `start` that is not a class or an assertion. */
  private parseEscape(start: number): { codePoint: number; end: number } {
    const pattern = this.pattern;
    let index = start + 1;
    if (index >= pattern.length) this.fail("trailing backslash at end of expression", index, index);
    const code = pattern.codePointAt(index) as number;
    index += codePointWidth(code);
    // Any escaped ASCII punctuation stands for itself.
    if (code < 0x80 && !isAsciiAlphanumeric(code)) return { codePoint: code, end: index };
    switch (code) {
      case 0x31:
      case 0x32:
      case 0x33:
      case 0x34:
      case 0x35:
      case 0x36:
      case 0x37: {
        // \1 alone would be a backreference, which RE2 refuses; \12 is octal.
        const next = pattern.charCodeAt(index);
        if (!(next >= 0x30 && next <= 0x37)) break;
        return this.parseOctal(code, index);
      }
      case 0x30:
        return this.parseOctal(code, index);
      case 0x78: {
        // \x41 or \x{10FFFF}
        if (index >= pattern.length) break;
        const first = pattern.codePointAt(index) as number;
        index += codePointWidth(first);
        if (first === 0x7b) {
          let digits = 0;
          let value = 0;
          for (;;) {
            if (index >= pattern.length) this.fail("invalid escape sequence", start, index);
            const digit = pattern.codePointAt(index) as number;
            index += codePointWidth(digit);
            if (digit === 0x7d) break;
            const digitValue = hexValue(digit);
            if (digitValue < 0) this.fail("invalid escape sequence", start, index);
            value = value * 16 + digitValue;
            if (value > 0x10ffff) this.fail("invalid escape sequence", start, index);
            digits++;
          }
          if (digits === 0) this.fail("invalid escape sequence", start, index);
          return { codePoint: value, end: index };
        }
        if (index >= pattern.length) break;
        const second = pattern.codePointAt(index) as number;
        index += codePointWidth(second);
        const high = hexValue(first);
        const low = hexValue(second);
        if (high < 0 || low < 0) break;
        return { codePoint: high * 16 + low, end: index };
      }
      case 0x61: // \a
        return { codePoint: 0x07, end: index };
      case 0x66: // \f
        return { codePoint: 0x0c, end: index };
      case 0x6e: // \n
        return { codePoint: 0x0a, end: index };
      case 0x72: // \r
        return { codePoint: 0x0d, end: index };
      case 0x74: // \t
        return { codePoint: 0x09, end: index };
      case 0x76: // \v
        return { codePoint: 0x0b, end: index };
    }
    return this.fail("invalid escape sequence", start, index);
  }

  /** Up to three octal digits in all, the first already read. */
  private parseOctal(firstDigit: number, start: number): { codePoint: number; end: number } {
    let value = firstDigit - 0x30;
    let index = start;
    for (let count = 1; count < 3; count++) {
      const digit = this.pattern.charCodeAt(index);
      if (!(digit >= 0x30 && digit <= 0x37)) break;
      value = value * 8 + digit - 0x30;
      index++;
    }
    return { codePoint: value, end: index };
  }

  /** `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}` at `start`, as class content. */
  private parseUnicodeClass(start: number): { source: string; end: number } {
    const pattern = this.pattern;
    let negated = pattern.charCodeAt(start + 1) === 0x50;
    const nameStart = start + 2;
    let name: string;
    let end: number;
    if (nameStart >= pattern.length) this.fail("invalid character class range", start, pattern.length);
    const first = pattern.codePointAt(nameStart) as number;
    if (first !== 0x7b) {
      end = nameStart + codePointWidth(first);
      name = pattern.slice(nameStart, end);
    } else {
      const close = pattern.indexOf("}", start);
      if (close < 0) this.fail("invalid character class range", start, pattern.length);
      name = pattern.slice(nameStart + 1, close);
      end = close + 1;
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const table = unicodeClass(name);
    if (table === undefined) this.fail("invalid character class range", start, end);
    return { source: negated ? `[^${table}]` : table, end };
  }

  /** Go's `parseClass`: `[…]` and `[^…]` with ranges, escapes, Perl, POSIX and Unicode classes. */
  private parseClass(): void {
    const pattern = this.pattern;
    const classStart = this.index;
    let index = classStart + 1;
    let negated = false;
    if (pattern.charCodeAt(index) === 0x5e) {
      negated = true;
      index++;
    }
    let source = "";
    // `]` right after `[` or `[^` is a literal.
    let first = true;
    while (index >= pattern.length || pattern.charCodeAt(index) !== 0x5d || first) {
      first = false;
      if (pattern.length - index > 2 && pattern.startsWith("[:", index)) {
        // Go looks for ":]" anywhere further on, even past the end of this class.
        const close = pattern.indexOf(":]", index + 2);
        if (close >= 0) {
          const group = POSIX_CLASSES.get(pattern.slice(index, close + 2));
          if (group === undefined) this.fail("invalid character class range", index, close + 2);
          source += group;
          index = close + 2;
          continue;
        }
      }
      if (pattern.charCodeAt(index) === 0x5c) {
        const next = pattern.charCodeAt(index + 1);
        if (next === 0x70 || next === 0x50) {
          const unicode = this.parseUnicodeClass(index);
          source += unicode.source;
          index = unicode.end;
          continue;
        }
        const perl = PERL_CLASSES.get(pattern.charAt(index + 1));
        if (perl !== undefined) {
          source += perl;
          index += 2;
          continue;
        }
      }
      const low = this.parseClassCharacter(index, classStart);
      let high = low.codePoint;
      index = low.end;
      // `[a-]` is `a` or `-`.
      if (pattern.length - index >= 2 && pattern.charCodeAt(index) === 0x2d && pattern.charCodeAt(index + 1) !== 0x5d) {
        const upper = this.parseClassCharacter(index + 1, classStart);
        high = upper.codePoint;
        if (high < low.codePoint) this.fail("invalid character class range", low.end - 1, upper.end);
        index = upper.end;
      }
      source += classRange(low.codePoint, high);
    }
    this.index = index + 1;
    this.pushClass(source, negated);
  }

  private parseClassCharacter(index: number, classStart: number): { codePoint: number; end: number } {
    const pattern = this.pattern;
    if (index >= pattern.length) this.fail("missing closing ]", classStart, pattern.length);
    if (pattern.charCodeAt(index) === 0x5c) return this.parseEscape(index);
    const codePoint = pattern.codePointAt(index) as number;
    return { codePoint, end: index + codePointWidth(codePoint) };
  }
}

function maxHeight(nodes: readonly GoRegexNode[]): number {
  let height = 0;
  for (const node of nodes) if (node.height > height) height = node.height;
  return height;
}

/**
 * Go's `repeatIsValid`: nested `{n,m}` counts may not multiply past `limit` copies of the
 * innermost item (`(a{100}){10}` is fine, `(a{100}){11}` is not).
 */
function repeatIsValid(node: GoRegexNode, limit: number): boolean {
  let remaining = limit;
  if (node.op === "repeat" && node.counted) {
    let count = node.max;
    if (count === 0) return true;
    if (count < 0) count = node.min;
    if (count > remaining) return false;
    if (count > 0) remaining = Math.trunc(remaining / count);
  }
  switch (node.op) {
    case "capture":
    case "repeat":
      return repeatIsValid(node.sub, remaining);
    case "concat":
    case "alternate":
      return node.subs.every((sub) => repeatIsValid(sub, remaining));
    default:
      return true;
  }
}
