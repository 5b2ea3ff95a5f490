import { compileGoRegex } from "../../src/evaluation/go-regex";
import { MAX_PROGRAM_SIZE } from "../../src/evaluation/go-regex-program";

// Pattern, text, whether Go's regexp.MustCompile(pattern).MatchString(text) is true.
const goMatches: ReadonlyArray<readonly [string, string, boolean]> = [
  ["@example\\.com$", "alice@example.com", true],
  ["@example\\.com$", "alice@example.com.evil", false],
  ["pro", "enterprise-pro-plan", true],
  ["^pro$", "pro", true],
  ["^pro$", "pro2", false],
  ["^user-[0-9]+$", "user-42", true],
  ["^user-[0-9]+$", "user-", false],
  ["a.c", "abc", true],
  ["a.c", "a\nc", false],
  ["(?s)a.c", "a\nc", true],
  [".", "\r", true],
  ["^b", "a\nb", false],
  ["(?m)^b", "a\nb", true],
  ["a$", "a\n", false],
  ["(?m)a$", "a\nb", true],
  ["(?m)a$", "a\r\nb", false],
  ["(?i)k", "\u212a", true],
  ["(?i)s", "\u017f", true],
  ["(?i)i", "\u0131", false],
  ["(?i)ß", "ẞ", true],
  ["(?i)[^a]", "A", false],
  ["(?i)\\W", "\u212a", false],
  ["(?i)Σ", "ς", true],
  ["(?i)PRO", "pro", true],
  ["PRO", "pro", false],
  ["(?i:P)RO", "pRO", true],
  ["(?i:P)RO", "pro", false],
  ["(?i)p(?-i)ro", "PrO", false],
  ["\\s", "\u000b", false],
  ["\\s", "\u00a0", false],
  ["\\w", "é", false],
  ["\\bé", " é", false],
  ["\\d", "٣", false],
  ["\\pL", "é", true],
  ["\\p{Greek}", "α", true],
  ["\\PL", "a", false],
  ["[^a]", "\n", true],
  ["[[:alpha:]]+$", "abc", true],
  ["[[:^digit:]]", "5", false],
  ["\\p{Any}", "x", true],
  ["(?i)\\p{Lu}", "a", true],
  ["\\pC", "\u0378", false],
  ["^.$", "🎉", true],
  ["^..$", "🎉", false],
  ["\\x{1F389}", "🎉", true],
  ["\\Q.*\\E", "a.*b", true],
  ["\\Q.*\\E", "ab", false],
  ["x{", "x{", true],
  ["a{,3}", "a{,3}", true],
  ["a{2}", "a", false],
  ["a{2}", "aa", true],
  ["^a{2,3}$", "aaaa", false],
  ["^(ab){2}$", "abab", true],
  ["\\B", "", true],
  ["\\b", "", false],
  ["^$", "", true],
  ["(?m)$^", "\n", true],
  ["x*", "", true],
  ["a|b", "b", true],
  ["(a|)c", "c", true],
  ["\\012", "\n", true],
  ["\\x41", "A", true],
  ["[\\d-z]", "-", true],
  ["(?U)a+b", "aab", true],
  ["(?P<first>a)b", "ab", true],
  ["(?<first>a)b", "ab", true],
  ["(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false],
  ["(x+x+)+y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false],
  ["a|b", "a", true],
  ["a|b|c", "a", true],
  ["a|b|c", "b", true],
  ["a|b|c", "d", false],
  ["^a|b", "xb", true],
  ["^a{0}$", "", true],
  ["^a{0}$", "a", false],
  ["^a{3,}$", "aa", false],
  ["^a{3,}$", "aaaaa", true],
  ["^(?:ab){2,}$", "ab", false],
  ["^(?:ab){2,}$", "ababab", true],
  // A surrogate code point is no character of a well-formed text, even where its unit sits in a pair.
  ["\\x{dc00}", "\u{10000}", false],
  ["\\x{dfff}", "\u{10ffff}", false],
  ["\\x{d800}", "\u{10000}", false],
  ["^\\x{d800}", "\u{10000}x", false],
  ["\\x{dc00}$", "x\u{10000}", false],
  ["\\x{d800}\\x{dc00}", "\u{10000}", false],
  // Escapes.
  ["^\\0$", "\u0000", true],
  ["^\\0$", "0", false],
  ["^\\08$", "\u00008", true],
  ["^\\10$", "\u0008", true],
  ["^\\12$", "\n", true],
  ["^\\17$", "\u000f", true],
  ["^\\077$", "?", true],
  ["^\\100$", "@", true],
  ["^\\777$", "\u01ff", true],
  ["^\\1234$", "S4", true],
  ["^\\a$", "\u0007", true],
  ["^\\a$", "a", false],
  ["^\\x41$", "A", true],
  ["^\\xaF$", "\u00af", true],
  ["^\\x40$", "@", true],
  ["^\\x{30}\\x30$", "00", true],
  ["^\\xFa$", "\u00fa", true],
  ["^\\x{0}$", "\u0000", true],
  ["^\\x{0041}$", "A", true],
  ["^\\x{10FFFF}$", "\u{10ffff}", true],
  ["^\\@\\[\\{$", "@[{", true],
  // Assertions at the text's ends and in its middle.
  ["a^b", "ab", false],
  ["(?:x|^)b", "ab", false],
  ["a\\Ab", "ab", false],
  ["a$b", "ab", false],
  ["a\\zb", "ab", false],
  ["(?m)^a", "ab", true],
  ["(?m)a$", "a", true],
  ["(?m)a$b", "a\nb", false],
  ["(?m)a\n^b", "a\nb", true],
  ["a\\Bb", "ab", true],
  ["a\\B-", "a-", false],
  ["-\\B-", "--", true],
  // A character consumed at the end of the text does not exist.
  ["a.", "a", false],
  ["a[^b]", "a", false],
  ["a(?s:.)", "a", false],
  // U+FFFF is one UTF-16 unit; U+10000 is two.
  ["^\\x{ffff}[a]$", "\uffffa", true],
  ["^.a$", "\uffffa", true],
  ["^.a$", "\u{10000}a", true],
  // Classes: where ] and - are literal, POSIX-like text that is not a POSIX class.
  ["[]a]", "]", true],
  ["[]a]", "b", false],
  ["[^]a]", "]", false],
  ["[^]a]", "b", true],
  ["[a-]", "-", true],
  ["[-a]", "-", true],
  ["[a-a]", "a", true],
  ["[a-c]", "d", false],
  ["[[:]", ":", true],
  ["[[:alpha]", "p", true],
  ["[[:alpha]", "b", false],
  ["[\\x41-\\x43]", "B", true],
  ["[\\]]", "]", true],
  ["\\p{^Greek}", "α", false],
  ["\\P{^Greek}", "α", true],
  ["[\\p{^Greek}]", "a", true],
  ["[\\P{Greek}]", "α", false],
  ["[\\pLx]", "é", true],
  ["[x\\pN]", "٣", true],
  // Flags, and their end at the group's end.
  ["(?-i).", "\n", false],
  ["(?-i:.)", "\n", false],
  // Without \\E, the $ is quoted too.
  ["^\\Qa*$", "a*", false],
  ["^\\Qa*$", "xa*$", false],
  ["^\\Qa*$", "a*$", true],
  ["^\\Qab\\Ec$", "abc", true],
  ["^\\Qa\\E\\Qb\\E$", "ab", true],
  ["^a?$", "aa", false],
  ["^a{9}$", "aaaaaaaaa", true],
  ["^a{10}$", "aaaaaaaaaa", true],
  ["^a{10}$", "aaaaaaaaa", false],
  ["^\\00$", "\u0000", true],
  ["^\uffffa$", "\uffffa", true],
  ["[\uffffa]", "a", true],
  ["^a?$", "a", true],
  ["^a+$", "", false],
  ["^\\Qa\\E+$", "aaa", true],
  ["(?s-s).", "\n", false],
  ["(?m-m)^b", "a\nb", false],
  ["(?i)(?-i)a", "A", false],
  ["(?i:a(?-i)b)", "Ab", true],
  ["(?i:a(?-i)b)", "AB", false],
  ["(?:(?i)a)a", "Aa", true],
  ["(?:(?i)a)a", "AA", false],
  ["((?i)a)a", "AA", false],
  ["(?i)(?:a)A", "aa", true],
  ["(?sm:^.$)", "a\n\nb", true],
  ["(?U)^a+$", "aaa", true],
  ["(?iU)a", "A", true],
  ["(?i)(?U)a", "A", true],
  ["(?sU).", "\n", true],
  ["(?mU)^b", "a\nb", true],
  ["^a{2}?$", "aa", true],
  // Braces that are no repeat (a leading zero, no closing brace right after the count) are literal.
  ["^a{01}$", "a{01}", true],
  ["^a{01}$", "a", false],
  ["^a{1,02}$", "a{1,02}", true],
  ["^a{2x$", "a{2x", true],
  ["^a{2x$", "aa", false],
  ["^a{2,3x$", "a{2,3x", true],
  ["^a{0,0}b$", "b", true],
  ["^a{0,0}b$", "ab", false],
  ["^(?:a|bc)+?$", "abca", true],
];

describe("compileGoRegex", () => {
  it.each(goMatches)("matches %j against %j as Go does (%p)", (pattern, text, expected) => {
    expect(compileGoRegex(pattern)?.test(text)).toBe(expected);
  });

  it("searches unanchored: ^ and $ only where written", () => {
    const regex = compileGoRegex("b+");
    expect(["abbc", "b", "ab", "bc"].map((text) => regex?.test(text))).toEqual([true, true, true, true]);
    expect(regex?.test("ac")).toBe(false);
  });

  it("returns undefined for a pattern Go refuses", () => {
    expect(compileGoRegex("(?<!a)b")).toBeUndefined();
  });

  it("steps over U+FFFF as one UTF-16 unit, and a code point above it as two", () => {
    expect(compileGoRegex("^.a$")?.test("\uffffa")).toBe(true);
    expect(compileGoRegex("^.a$")?.test("\u{10000}a")).toBe(true);
  });

  it("answers catastrophic-backtracking patterns in linear time", () => {
    const regex = compileGoRegex("(a+)+$");
    const text = `${"a".repeat(50_000)}b`;
    // A backtracking engine would not finish this before the test times out.
    expect(regex?.test(text)).toBe(false);
    expect(compileGoRegex("(a|aa)*c")?.test("a".repeat(50_000))).toBe(false);
    expect(compileGoRegex("(\\w*)*x$")?.test(`${"w".repeat(50_000)}x`)).toBe(true);
  });

  it("handles empty loops without spinning", () => {
    expect(compileGoRegex("(a*)*b")?.test("aaac")).toBe(false);
    expect(compileGoRegex("(^|$)*x")?.test("yx")).toBe(true);
    expect(compileGoRegex("(?:\\b)+a")?.test(" a")).toBe(true);
  });

  it("follows an empty loop far into a large program without spinning", () => {
    // The loop's instructions come after x{1000}'s: the search's scratch space must cover them.
    const regex = compileGoRegex("(a*)*x{1000}");
    expect(regex?.test("aaab")).toBe(false);
    expect(regex?.test(`aa${"x".repeat(1000)}`)).toBe(true);
  });

  it("refuses a pattern whose program would exceed MAX_PROGRAM_SIZE instructions", () => {
    const copies = Math.ceil(MAX_PROGRAM_SIZE / 1000) + 1;
    expect(compileGoRegex("x{1000}".repeat(copies))).toBeUndefined();
    expect(compileGoRegex("x{1000}".repeat(2))?.test("x".repeat(2000))).toBe(true);
  });

  it.each<readonly [string, string, boolean]>([
    ["\\bab", "xab ab", true],
    ["\\bab", "xab", false],
    ["(?m)^foo", "x foo\nfoo", true],
    ["(?m)^foo", "x foo", false],
    ["ab|ac", "xxac", true],
    ["foo.*bar", "foo and bar", true],
    ["foo.*bar", "foobaz", false],
    ["a\\bb", "ab", false],
    ["x[0-9]+y", "x12x34y", true],
    ["🎉+x", "a🎉🎉x", true],
  ])("skips ahead to candidate starts without missing a match: %j on %j", (pattern, text, expected) => {
    expect(compileGoRegex(pattern)?.test(text)).toBe(expected);
  });

  // A plain literal, with ^ and $ at most, is a native string search: program size 0.
  it.each<readonly [string, boolean]>([
    ["abc", true],
    ["(a)b", true],
    ["a()b", true],
    ["(?:ab)(?:c)", true],
    ["^ab", true],
    ["ab$", true],
    ["^ab$", true],
    ["^", true],
    ["$", true],
    ["\\Qa.b\\E", true],
    ["a.b", false],
    ["(?i)ab", false],
    ["a|b", false],
    ["a^b", false],
    ["a+", false],
    ["\\bab", false],
    ["\\x{dc00}", false],
    // Past the surrogates, characters are searched natively again.
    ["\\x{e000}", true],
    ["^🎉$", true],
  ])("searches %j natively: %p", (pattern, native) => {
    expect(compileGoRegex(pattern)?.programSize === 0).toBe(native);
  });

  it.each<readonly [string, string, boolean]>([
    ["^ab", "abx", true],
    ["^ab", "xab", false],
    ["ab$", "xab", true],
    ["ab$", "abx", false],
    ["^ab$", "ab", true],
    ["^ab$", "abab", false],
    ["ab", "xabx", true],
    ["ab", "a-b", false],
    ["^", "x", true],
    ["$", "x", true],
    ["^$", "x", false],
    ["(a)(b)$", "xab", true],
    ["^(?:a)()b", "abx", true],
  ])("searches the literal %j in %j: %p", (pattern, text, expected) => {
    expect(compileGoRegex(pattern)?.test(text)).toBe(expected);
  });

  it("keeps case folding to the part of the pattern under (?i)", () => {
    const regex = compileGoRegex("a(?i:b)c");
    expect(["abc", "aBc", "ABC", "abC"].map((text) => regex?.test(text))).toEqual([true, true, false, false]);
  });

  it("matches astral characters as single characters in classes", () => {
    expect(compileGoRegex("^[🎉-🎊]$")?.test("🎉")).toBe(true);
    expect(compileGoRegex("^[^a]$")?.test("🎉")).toBe(true);
    expect(compileGoRegex("^\\p{So}x$")?.test("🎉x")).toBe(true);
  });
});

// Go's named classes (regexp/syntax perl_groups.go): one character in, one out.
const posixClasses: ReadonlyArray<readonly [string, string, string]> = [
  ["alnum", "7Qq", "_"],
  ["alpha", "Qq", "7"],
  ["ascii", "\u0000\u007f", "\u0080"],
  ["blank", "\t ", "\n"],
  ["cntrl", "\u001f\u007f", " "],
  ["digit", "05", "a"],
  ["graph", "!~", " "],
  ["lower", "q", "Q"],
  ["print", " ~", "\u007f"],
  ["punct", "!/:@[`{~", "a"],
  ["space", "\t\n\v\f\r ", "a"],
  ["upper", "Q", "q"],
  ["word", "_7Qq", "-"],
  ["xdigit", "09AFaf", "g"],
];

const perlClasses: ReadonlyArray<readonly [string, string, string]> = [
  ["d", "09", "a\u0660"],
  ["s", "\t\n\f\r ", "\v\u00a0"],
  ["w", "_09AZaz", "-\u00e9"],
];

// \b and \B know the ASCII word characters [0-9A-Za-z_] only.
const wordCharacters = "09AZaz_";
const otherCharacters = "/:@[`{^ \u00e9";

describe("word boundaries", () => {
  it.each([...wordCharacters])("%j is a word character", (character) => {
    expect(compileGoRegex("\\b")?.test(character)).toBe(true);
    expect(compileGoRegex("\\B")?.test(character)).toBe(false);
  });

  it.each([...otherCharacters])("%j is not a word character", (character) => {
    expect(compileGoRegex("\\b")?.test(character)).toBe(false);
    expect(compileGoRegex("\\B")?.test(character)).toBe(true);
  });
});

describe("named classes", () => {
  it.each(posixClasses)("[[:%s:]] holds %j and not %j; [[:^%s:]] the reverse", (name, inside, outside) => {
    const positive = compileGoRegex(`^[[:${name}:]]$`);
    const negative = compileGoRegex(`^[[:^${name}:]]$`);
    for (const character of inside) {
      expect([character, positive?.test(character), negative?.test(character)]).toEqual([character, true, false]);
    }
    for (const character of outside) {
      expect([character, positive?.test(character), negative?.test(character)]).toEqual([character, false, true]);
    }
  });

  it.each(perlClasses)("\\%s holds %j and not %j, inside a class too; its capital the reverse", (letter, inside, outside) => {
    const patterns = [`^\\${letter}$`, `^[\\${letter}]$`, `^\\${letter.toUpperCase()}$`, `^[\\${letter.toUpperCase()}]$`];
    const regexes = patterns.map((pattern) => compileGoRegex(pattern));
    for (const character of inside) {
      expect([character, ...regexes.map((regex) => regex?.test(character))]).toEqual([character, true, true, false, false]);
    }
    for (const character of outside) {
      expect([character, ...regexes.map((regex) => regex?.test(character))]).toEqual([character, false, false, true, true]);
    }
  });

  it.each<readonly [string, string, boolean]>([
    ["\\pC", "\u0000", true],
    ["\\pC", "\u00ad", true],
    ["\\pC", "\ue000", true],
    ["\\PC", "a", true],
    ["\\PC", "\u0000", false],
    ["^\\p{Any}$", "\u{10ffff}", true],
    ["^\\P{Any}$", "a", false],
    ["\\p{Greek}", "a", false],
    ["\\p{Nd}", "\u0660", true],
    ["[\\p{Lu}\\d]", "5", true],
    ["[\\p{Lu}\\d]", "É", true],
    ["[\\p{Lu}\\d]", "é", false],
    ["[^\\pL]", "é", false],
    // The first character past ASCII is answered by the class, not the ASCII table.
    ["[\\x{80}]", "\u0080", true],
    ["[^\\x{80}]", "\u0080", false],
    ["[\\x{7f}]", "\u007f", true],
    ["(?i)[\\x{80}]", "\u0080", true],
    ["(?i)[k]", "\u212a", true],
    ["(?i)[^k]", "\u212a", false],
    ["(?i)k", "K", true],
  ])("%j on %j: %p", (pattern, text, expected) => {
    expect(compileGoRegex(pattern)?.test(text)).toBe(expected);
  });
});
