import { parseGoRegex } from "../../src/evaluation/go-regex-parser";
import { MAX_PROGRAM_SIZE, compileGoRegexProgram, type GoRegexProgram } from "../../src/evaluation/go-regex-program";

function programOf(pattern: string): GoRegexProgram | undefined {
  const parsed = parseGoRegex(pattern);
  if (!parsed.ok) throw new Error(`${pattern}: ${parsed.error}`);
  return compileGoRegexProgram(parsed.node);
}

describe("compileGoRegexProgram", () => {
  // What the search may skip: the character every match starts with, and whether only the text's
  // start can begin a match. Getting either wrong skips matches; missing one only costs time.
  it.each<readonly [string, string | undefined, boolean]>([
    ["a+b", "a", false],
    ["ab|ac", "a", false],
    ["(?:ab|ac)|ad", "a", false],
    ["\\bfoo", "f", false],
    ["(?m)^x", "x", false],
    ["🎉+x", "🎉", false],
    ["ab|cd", undefined, false],
    ["x*y", undefined, false],
    ["a|", undefined, false],
    [".a", undefined, false],
    ["[ab]c", undefined, false],
    ["(?i)ab", undefined, false],
    // A surrogate could be found inside a pair: never a shortcut.
    ["\\x{dc00}+", undefined, false],
    ["\\x{d800}+", undefined, false],
    ["\\x{dfff}+", undefined, false],
    ["\\x{d7ff}+", "\ud7ff", false],
    ["\\x{e000}+", "\ue000", false],
    ["^a+", "a", true],
    ["\\A(?:x|y)", undefined, true],
    ["(^a)|^b", undefined, true],
    ["(?:^a|^b)c", undefined, true],
    ["^a|b", undefined, false],
    ["a^", "a", false],
    ["(?m)^a", "a", false],
  ])("knows where %j can start: first character %j, anchored %p", (pattern, first, anchored) => {
    const program = programOf(pattern);
    expect(program?.firstCodePoint).toBe(first === undefined ? -1 : first.codePointAt(0));
    expect(program?.anchoredStart).toBe(anchored);
  });

  it(`allows programs of up to MAX_PROGRAM_SIZE (${MAX_PROGRAM_SIZE}) instructions, the final match included`, () => {
    // x{1000} is 1000 instructions; 49 of them, x{999} and the final match make 50,000.
    const largest = `${"x{1000}".repeat(49)}x{999}`;
    expect(programOf(largest)?.opcodes.length).toBe(MAX_PROGRAM_SIZE);
    expect(programOf(`${largest}x`)).toBeUndefined();
  });
});
