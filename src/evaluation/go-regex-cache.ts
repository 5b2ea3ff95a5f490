import { compileGoRegex, type GoRegex } from "./go-regex";
import { fitsRegexBudget } from "./regex-match-budget";

/** How many distinct patterns stay compiled; the oldest is dropped first beyond that. */
export const MAX_CACHED_PATTERNS = 256;

// `null` remembers that Go refuses the pattern, so a bad pattern is not re-parsed per request.
const compiled = new Map<string, GoRegex | null>();

/** How many patterns are compiled and kept now (at most {@link MAX_CACHED_PATTERNS}): the cache's memory bound, for tests. */
export function cachedPatternCount(): number {
  return compiled.size;
}

/**
 * The `regex` operator (PROTOCOL.md §3.4): whether the Go RE2 `pattern` matches anywhere in
 * `text`; a pattern Go refuses never matches. Compiled patterns are kept in a bounded cache. A
 * search that would cost more than `MAX_REGEX_MATCH_COST` steps does not match (the listener
 * set with `withRegexBudgetListener` is told).
 *
 * @example
 * goRegexMatches("^user-[0-9]+$", "user-42"); // true
 * goRegexMatches("(a)\\1", "aa"); // false: RE2 has no backreferences
 */
export function goRegexMatches(pattern: string, text: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = compileGoRegex(pattern) ?? null;
    if (compiled.size >= MAX_CACHED_PATTERNS) {
      const oldest = compiled.keys().next();
      if (oldest.done !== true) compiled.delete(oldest.value);
    }
    compiled.set(pattern, regex);
  }
  if (regex === null) return false;
  if (regex.programSize > 0 && !fitsRegexBudget(pattern, regex.programSize, text.length)) return false;
  return regex.test(text);
}
