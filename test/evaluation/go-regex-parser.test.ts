import { parseGoRegex } from "../../src/evaluation/go-regex-parser";

// Patterns Go's regexp.Compile refuses (checked against Go): the condition must then be false.
const refused: ReadonlyArray<readonly [string, string]> = [
  ["(?=a)", "lookahead"],
  ["(?!a)", "negative lookahead"],
  ["(?<=a)", "lookbehind"],
  ["(?<!a)", "negative lookbehind"],
  ["(a)\\1", "a backreference"],
  ["\\k<n>", "a named backreference"],
  ["(?P=n)", "a Python backreference"],
  ["a++", "a possessive quantifier"],
  ["a*+", "a possessive star"],
  ["a**", "a doubled star"],
  ["a{2}{3}", "a doubled count"],
  ["a{1}??", "a doubled non-greedy count"],
  ["\\Z", "\\Z"],
  ["\\C", "\\C (any byte)"],
  ["\\e", "\\e"],
  ["\\cA", "a control escape"],
  ["\\u0041", "a \\u escape"],
  ["\\8", "\\8"],
  ["[\\b]", "\\b inside a class"],
  ["\\x{110000}", "a code point beyond U+10FFFF"],
  ["\\x1", "a one-digit \\x escape"],
  ["\\", "a trailing backslash"],
  ["(?x) a", "the x flag"],
  ["(?#c)", "a comment group"],
  ["(?i-)", "a dangling flag negation"],
  ["(?i", "an unterminated flag group"],
  ["(?P<>a)", "an empty capture name"],
  ["(?P<a-b>x)", "a capture name with a dash"],
  ["(", "a missing )"],
  ["(?:a", "an unclosed group"],
  [")", "an unexpected )"],
  ["a)", "an unexpected ) after text"],
  ["[", "a missing ]"],
  ["[]", "[] (the ] is a literal, then the class is unclosed)"],
  ["[^]", "[^] (same)"],
  ["[z-a]", "a reversed range"],
  ["[a-\\d]", "a class as a range end"],
  ["[[:foo:]]", "an unknown POSIX class"],
  ["[[:a]b:]]", "a POSIX name running past the ]"],
  ["*", "a repetition with no argument"],
  ["a|*", "a repetition after |"],
  ["(?i)*", "a repetition after a flag group at the start"],
  ["a{1001}", "a count over 1000"],
  ["a{2,1}", "min over max"],
  ["(a{100}){11}", "nested counts over 1000 copies"],
  ["\\p{Latn}", "a script's short name"],
  ["\\p{Script=Latin}", "the Script= form"],
  ["\\p{latin}", "a lower-case script name"],
  ["\\p{LC}", "the LC category"],
  ["\\p", "\\p with no name"],
  ["\\p{}", "an empty property"],
  [`${"(".repeat(1000)}a${")".repeat(1000)}`, "1000 nested captures"],
  [`${"(?:".repeat(1000)}a${")*".repeat(1000)}`, "1000 nested stars"],
];

// Patterns Go accepts, some of them surprising.
const accepted: ReadonlyArray<readonly [string, string]> = [
  ["(a{100}){10}", "nested counts of exactly 1000 copies"],
  ["(?:a{500}b{500}){2}", "counts that stay within 1000 copies per item"],
  ["(a*){1000}", "a count over a star"],
  ["a{1000}", "a count of 1000"],
  ["x{1000,}", "an open count of 1000"],
  ["^*", "a star on an assertion"],
  ["$+", "a plus on $"],
  ["()*", "a star on an empty group"],
  ["a(?i)*", "a star after a flag group, applying to the a"],
  ["[]a]", "] first in a class"],
  ["[^]a]", "] first in a negated class"],
  ["[a-]", "a trailing -"],
  ["[a-b-c]", "a - after a range"],
  ["[[:alpha]", "an unterminated POSIX name, read as literals"],
  ["[[=a=]]", "[= =], read as literals"],
  ["x{", "a lone brace"],
  ["a{,3}", "{,n}, read as literals"],
  ["a{01}", "a count with a leading zero, read as literals"],
  ["\\Q", "an empty \\Q"],
  ["\\Qa*", "\\Q with no \\E"],
  ["(?)", "an empty flag group"],
  ["(?i-i)a", "a flag set and cleared"],
  ["(?U)a+?", "the U flag"],
  ["\\_", "an escaped underscore"],
  ["\\ ", "an escaped space"],
  ["\\400", "an octal escape beyond 255"],
  ["\\1234", "\\123 then 4"],
  ["\\0", "\\0"],
  ["\\pN+", "a one-letter category"],
  ["\\p{Greek}", "a script"],
  ["\\p{^Greek}", "a negated script"],
  ["[\\P{^L}]", "a doubly negated category in a class"],
  ["\\p{Any}", "Any"],
  ["\\pC", "Go's C category"],
  ["\\x{10FFFF}", "the last code point"],
  ["(?P<1>x)", "a numeric capture name"],
  ["(?P<a>x)(?P<a>y)", "a repeated capture name"],
  ["(?<name>a)", "the (?<name>) form of Go 1.22"],
  [`${"(".repeat(999)}a${")".repeat(999)}`, "999 nested captures"],
  [`${"(?:".repeat(5000)}a${")".repeat(5000)}`, "5000 nested non-capturing groups"],
];

describe("parseGoRegex", () => {
  it.each(refused)("refuses %j (%s), as Go does", (pattern) => {
    expect(parseGoRegex(pattern).ok).toBe(false);
  });

  it.each(accepted)("accepts %j (%s), as Go does", (pattern) => {
    expect(parseGoRegex(pattern)).toMatchObject({ ok: true });
  });

  it("explains a refusal the way Go does", () => {
    expect(parseGoRegex("(?=a)")).toEqual({ ok: false, error: "invalid or unsupported Perl syntax: `(?=`" });
  });
});
