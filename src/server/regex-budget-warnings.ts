import type { RegexBudgetListener } from "../evaluation/regex-match-budget";
import { MAX_REGEX_MATCH_COST } from "../evaluation/regex-match-budget";
import type { Logger } from "../logger/logger";

/** Patterns remembered as warned about; past this many, the memory starts over. */
const MAX_WARNED_PATTERNS = 1000;

/**
 * A listener for `withRegexBudgetListener` that warns once per pattern (per server) when a
 * regex condition was not evaluated because its search would exceed `MAX_REGEX_MATCH_COST`.
 * The warning names the pattern (from the flags file, cut short) and the attribute's length,
 * never the attribute itself (it comes from the client).
 */
export function regexBudgetWarnings(logger: Logger): RegexBudgetListener {
  const warned = new Set<string>();
  return (pattern, programSize, textLength) => {
    if (warned.has(pattern)) return;
    if (warned.size >= MAX_WARNED_PATTERNS) warned.clear();
    warned.add(pattern);
    const shown = pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern;
    logger.warn(
      `A regex condition did not match because its search would take too long: the pattern "${shown}" (${programSize} instructions) ` +
        `against an attribute of ${textLength} characters exceeds the budget of ${MAX_REGEX_MATCH_COST} steps (instructions × characters). ` +
        "Simplify the pattern (e.g. smaller {n,m} counts) or match a shorter attribute.",
      { pattern: shown, programSize, textLength },
    );
  };
}
