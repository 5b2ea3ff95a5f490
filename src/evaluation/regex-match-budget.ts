/**
 * The most work one `regex` condition may cost, in NFA steps: the pattern's program size
 * (instructions) times the attribute's length (UTF-16 code units) plus one. The search is
 * linear, but its factor is the program: `[a-z]{0,1000}` repeated 24 times is 48,002
 * instructions, and a 12 KB attribute would take about 576 million steps (4 to 5 s, blocking
 * the server) for one condition. At 1,000,000 steps a search takes at most about 20 ms (measured
 * with Unicode classes on a loaded core; 2 to 12 ms is typical). Within the budget the answer is
 * Go's; above it the condition does not match and the listener is told. Plain literals
 * (`abc`, `^abc$`) are native string searches and never limited.
 */
export const MAX_REGEX_MATCH_COST = 1_000_000;

/** Told of a search refused by the budget: the pattern, its program size and the attribute's length. */
export type RegexBudgetListener = (pattern: string, programSize: number, textLength: number) => void;

// Evaluation is synchronous and the engine pure: the listener of the evaluation in progress is
// set around it, rather than threaded through every evaluation function for a rare warning.
let current: RegexBudgetListener | undefined;

/**
 * Runs `evaluate` with `listener` told of every regex search the budget refuses during it.
 *
 * @example
 * const body = withRegexBudgetListener((pattern) => warnOnce(pattern), () => renderV1Flags(store, user, false));
 */
export function withRegexBudgetListener<T>(listener: RegexBudgetListener, evaluate: () => T): T {
  const previous = current;
  current = listener;
  try {
    return evaluate();
  } finally {
    current = previous;
  }
}

/** Whether a search of `textLength` code units with a program of `programSize` instructions fits the budget; tells the listener when not. */
export function fitsRegexBudget(pattern: string, programSize: number, textLength: number): boolean {
  if (programSize * (textLength + 1) <= MAX_REGEX_MATCH_COST) return true;
  current?.(pattern, programSize, textLength);
  return false;
}
