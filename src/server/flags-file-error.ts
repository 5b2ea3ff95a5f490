import { RollgateConfigError } from "../errors";
import type { PayloadIssue } from "../errors";

/**
 * A flags file, or a flag or segment definition given to the server, is invalid. The
 * message names the JSON path inside the file and what was expected there.
 *
 * @example
 * // Invalid flags file flags.json: flags[2].rules[0].rolloutPercentage: expected a number from 0 to 100.
 */
export class FlagsFileError extends RollgateConfigError {
  /** Every problem found, with paths such as `flags[2].rules[0].rolloutPercentage`. */
  readonly issues: readonly PayloadIssue[];
  /** What was invalid, e.g. `flags file examples/flags.json`. */
  readonly source: string;

  /**
   * @param source how to name the input, e.g. `flags file examples/flags.json`.
   * @param options `message` replaces the generated message (used when the file cannot be read at all).
   */
  constructor(source: string, issues: readonly PayloadIssue[], options: { readonly cause?: unknown; readonly message?: string } = {}) {
    const first = issues[0];
    const detail = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "invalid content";
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? "issue" : "issues"})` : "";
    super("flags", options.message ?? `Invalid ${source}: ${detail}${more}. Fix it and try again.`, { cause: options.cause });
    this.issues = issues;
    this.source = source;
  }
}
