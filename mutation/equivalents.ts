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

export const EQUIVALENT_MUTANTS: readonly EquivalentMutant[] = [];
