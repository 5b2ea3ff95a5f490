/**
 * Surviving mutants that no test can kill because the mutated program behaves the same, each
 * with the reason. `npm run mutation` counts a survivor as equivalent when its file, mutator and
 * replacement match an entry and its source line contains `line` (a line number would go stale
 * with the first edit above it). A changed line stops matching: the mutant shows as a survivor
 * again, to be looked at anew.
 */
export interface EquivalentMutant {
  readonly file: string;
  readonly mutator: string;
  /** The replacement, as Stryker prints it (whitespace collapsed). */
  readonly replacement: string;
  /** Text of the mutated source line (a substring of it, whitespace collapsed). */
  readonly line: string;
  readonly reason: string;
}

const IS_IN_ROLLOUT = "src/evaluation/is-in-rollout.ts";

export const EQUIVALENT_MUTANTS: readonly EquivalentMutant[] = [
  {
    file: IS_IN_ROLLOUT,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (percentage >= 100) return true;",
    reason: "a shortcut: every bucket (0-99) is below a percentage of 100 or more, so the comparison below answers true too",
  },
  {
    file: IS_IN_ROLLOUT,
    mutator: "EqualityOperator",
    replacement: "percentage > 100",
    line: "if (percentage >= 100) return true;",
    reason: "at exactly 100 the comparison below (bucket < 100) is true for every bucket",
  },
  {
    file: IS_IN_ROLLOUT,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (percentage <= 0) return false;",
    reason: "a shortcut: no bucket (0-99) is below a percentage of 0 or less, so the comparison below answers false too",
  },
  {
    file: IS_IN_ROLLOUT,
    mutator: "EqualityOperator",
    replacement: "percentage < 0",
    line: "if (percentage <= 0) return false;",
    reason: "at exactly 0 the comparison below (bucket < 0) is false for every bucket",
  },
];
