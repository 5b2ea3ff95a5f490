import { MAX_CACHED_PATTERNS, goRegexMatches } from "../../src/evaluation/go-regex-cache";

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

  it("stays correct after more distinct patterns than it keeps", () => {
    for (let index = 0; index < MAX_CACHED_PATTERNS * 2; index++) {
      expect(goRegexMatches(`^p${index}$`, `p${index}`)).toBe(true);
    }
    expect(goRegexMatches("^p0$", "p0")).toBe(true);
    expect(goRegexMatches("^p0$", "p1")).toBe(false);
  });
});
