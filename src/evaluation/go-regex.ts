import { ASSERTIONS, compileGoRegexProgram } from "./go-regex-program";
import type { GoRegexNode } from "./go-regex-node";
import { parseGoRegex } from "./go-regex-parser";
import { matchesGoRegexProgram } from "./go-regex-vm";

/** A compiled Go regular expression. */
export interface GoRegex {
  /** Whether the pattern matches anywhere in `text` (Go's `MatchString`: unanchored). */
  test(text: string): boolean;
  /** Instructions of the NFA program a search runs over each character; 0 for a plain literal. */
  readonly programSize: number;
}

/**
 * Compiles a pattern with Go's RE2 syntax and semantics (PROTOCOL.md §3.4 `regex`).
 *
 * Plain literals (optionally between `^` and `$`) become `includes` / `startsWith` /
 * `endsWith` / `===`; everything else runs on a linear-time NFA, so that, as in Go, no pattern
 * can backtrack catastrophically.
 *
 * @returns The regex, or `undefined` for a pattern Go refuses (or one too large to compile:
 *   see `MAX_PROGRAM_SIZE`).
 * @example
 * compileGoRegex("@example\\.com$")?.test("alice@example.com"); // true
 * compileGoRegex("(?<!a)b"); // undefined: RE2 has no lookbehind
 */
export function compileGoRegex(pattern: string): GoRegex | undefined {
  const parsed = parseGoRegex(pattern);
  if (!parsed.ok) return undefined;
  const literal = plainLiteral(parsed.node);
  if (literal !== undefined) return literalRegex(literal);
  const program = compileGoRegexProgram(parsed.node);
  if (program === undefined) return undefined;
  const required = requiredLiteral(parsed.node);
  const programSize = program.opcodes.length;
  if (required === "") return { test: (text) => matchesGoRegexProgram(program, text), programSize };
  // Most conditions fail for most users: rule those out with a native substring search.
  return { test: (text) => text.includes(required) && matchesGoRegexProgram(program, text), programSize };
}

/** The top-level concatenation's items, looking through groups. */
function topLevelItems(node: GoRegexNode): GoRegexNode[] {
  const items: GoRegexNode[] = [];
  const flatten = (item: GoRegexNode): void => {
    if (item.op === "concat") item.subs.forEach(flatten);
    else if (item.op === "capture") flatten(item.sub);
    else if (item.op !== "empty") items.push(item);
  };
  flatten(node);
  return items;
}

const ZERO_WIDTH: ReadonlySet<GoRegexNode["op"]> = new Set<GoRegexNode["op"]>(ASSERTIONS);

/** The longest run of case-sensitive literals that every match must contain ("" if none). */
function requiredLiteral(node: GoRegexNode): string {
  let longest = "";
  let run = "";
  for (const item of topLevelItems(node)) {
    if (item.op === "literal" && !item.foldCase) {
      run += String.fromCodePoint(item.codePoint);
      if (run.length > longest.length) longest = run;
    } else if (!ZERO_WIDTH.has(item.op)) {
      // Assertions consume nothing, so literals on both sides of one stay adjacent.
      run = "";
    }
  }
  return longest;
}

interface PlainLiteral {
  readonly text: string;
  readonly atStart: boolean;
  readonly atEnd: boolean;
}

/**
 * `abc`, `^abc`, `abc$` or `^abc$` with case-sensitive literals only; otherwise `undefined`. A
 * surrogate code point (`\x{dc00}`) is left to the NFA: a string search would find it inside a
 * surrogate pair, where Go, reading whole characters, never does.
 */
function plainLiteral(node: GoRegexNode): PlainLiteral | undefined {
  const items = topLevelItems(node);
  const atStart = items[0]?.op === "beginText";
  const atEnd = items.length > (atStart ? 1 : 0) && items.at(-1)?.op === "endText";
  let text = "";
  for (let index = atStart ? 1 : 0; index < items.length - (atEnd ? 1 : 0); index++) {
    const item = items[index];
    if (item.op !== "literal" || item.foldCase || isSurrogate(item.codePoint)) return undefined;
    text += String.fromCodePoint(item.codePoint);
  }
  return { text, atStart, atEnd };
}

function isSurrogate(codePoint: number): boolean {
  return codePoint >= 0xd800 && codePoint <= 0xdfff;
}

function literalRegex({ text, atStart, atEnd }: PlainLiteral): GoRegex {
  if (atStart && atEnd) return { test: (input) => input === text, programSize: 0 };
  if (atStart) return { test: (input) => input.startsWith(text), programSize: 0 };
  if (atEnd) return { test: (input) => input.endsWith(text), programSize: 0 };
  return { test: (input) => input.includes(text), programSize: 0 };
}
