import { compileGoRegex } from "../../src/evaluation/go-regex";
import { MAX_CACHED_PATTERNS, cachedPatternCount, goRegexMatches } from "../../src/evaluation/go-regex-cache";
import { MAX_REGEX_MATCH_COST, withRegexBudgetListener } from "../../src/evaluation/regex-match-budget";

describe("goRegexMatches", () => {
  it("answers from a compiled pattern, and again from the cache", () => {
    expect(goRegexMatches("^user-\\d+$", "user-42")).toBe(true);
    expect(goRegexMatches("^user-\\d+$", "user-42")).toBe(true);
    expect(goRegexMatches("^user-\\d+$", "admin")).toBe(false);
  });

  it("remembers that a refused pattern never matches", () => {
    expect(goRegexMatches("(?=x)x", "x")).toBe(false);
    expect(goRegexMatches("(?=x)x", "x")).toBe(false);
  });

  it("stays correct after more distinct patterns than it keeps, and keeps no more than its bound", () => {
    const before = cachedPatternCount();
    goRegexMatches("^q-first$", "q");
    goRegexMatches("^q-second$", "q");
    // Below the bound, every new pattern is kept.
    expect(cachedPatternCount()).toBe(Math.min(before + 2, MAX_CACHED_PATTERNS));
    for (let index = 0; index < MAX_CACHED_PATTERNS * 2; index++) {
      expect(goRegexMatches(`^p${index}$`, `p${index}`)).toBe(true);
    }
    expect(cachedPatternCount()).toBe(MAX_CACHED_PATTERNS);
    expect(goRegexMatches("^p0$", "p0")).toBe(true);
    expect(goRegexMatches("^p0$", "p1")).toBe(false);
  });

  describe("the match budget", () => {
    const pattern = "[a-z]{0,1000}!";
    const programSize = compileGoRegex(pattern)?.programSize ?? 0;
    // The longest attribute whose search fits: programSize × (length + 1) ≤ the budget.
    const longest = Math.floor(MAX_REGEX_MATCH_COST / programSize) - 1;

    it("keeps Go's answer for every attribute within the budget", () => {
      expect(programSize).toBe(2002);
      const reports: unknown[] = [];
      withRegexBudgetListener((...report) => reports.push(report), () => {
        expect(goRegexMatches(pattern, `${"a".repeat(longest - 1)}!`)).toBe(true);
        expect(goRegexMatches(pattern, `${"a".repeat(longest - 1)}?`)).toBe(false);
      });
      expect(reports).toEqual([]);
    });

    it("does not match, and reports, an attribute whose search would cost more", () => {
      const reports: unknown[] = [];
      withRegexBudgetListener((...report) => reports.push(report), () => {
        // Go says true to both.
        expect(goRegexMatches(pattern, `${"a".repeat(longest)}!`)).toBe(false);
        const started = performance.now();
        expect(goRegexMatches(`${"[a-z]{0,1000}".repeat(24)}$`, "a".repeat(12_000))).toBe(false);
        // Without the budget this search takes seconds (about 576 million steps).
        expect(performance.now() - started).toBeLessThan(1000);
      });
      expect(reports).toEqual([
        [pattern, 2002, longest + 1],
        [`${"[a-z]{0,1000}".repeat(24)}$`, 48_002, 12_000],
      ]);
    });

    it("allows a search that costs exactly the budget", () => {
      const exact = "[a-z]{0,499}!";
      expect(compileGoRegex(exact)?.programSize).toBe(1000);
      const length = MAX_REGEX_MATCH_COST / 1000 - 1;
      const reports: unknown[] = [];
      withRegexBudgetListener((...report) => reports.push(report), () => {
        expect(goRegexMatches(exact, `${"a".repeat(length - 1)}!`)).toBe(true);
        expect(goRegexMatches(exact, `${"a".repeat(length)}!`)).toBe(false);
      });
      expect(reports).toEqual([[exact, 1000, length + 1]]);
    });

    it("does not match an over-budget search when nobody listens", () => {
      expect(goRegexMatches(pattern, `${"a".repeat(longest)}!`)).toBe(false);
    });

    it("tells only the listener of the evaluation in progress, and restores the one before", () => {
      const outer: unknown[] = [];
      const inner: unknown[] = [];
      const text = `${"a".repeat(longest)}!`;
      withRegexBudgetListener((...report) => outer.push(report[2]), () => {
        withRegexBudgetListener((...report) => inner.push(report[2]), () => goRegexMatches(pattern, text));
        expect(() =>
          withRegexBudgetListener(() => undefined, () => {
            throw new Error("evaluation failed");
          }),
        ).toThrow("evaluation failed");
        goRegexMatches(pattern, `${text}!`);
      });
      goRegexMatches(pattern, text);
      expect(inner).toEqual([longest + 1]);
      expect(outer).toEqual([longest + 2]);
    });

    it("returns what the evaluation returns", () => {
      expect(withRegexBudgetListener(() => undefined, () => "answer")).toBe("answer");
    });

    it("never limits a plain literal, whose search is a native substring search", () => {
      const reports: unknown[] = [];
      withRegexBudgetListener((...report) => reports.push(report), () => {
        expect(goRegexMatches("^user-1$", "user-1")).toBe(true);
        expect(goRegexMatches("needle", `${"x".repeat(2_000_000)}needle`)).toBe(true);
        expect(goRegexMatches("🎉", `${"x".repeat(2_000_000)}🎉`)).toBe(true);
      });
      expect(reports).toEqual([]);
    });
  });
});
