import type { RollgateUser } from "./rollgate-user";
import type { EvaluationErrorKind, EvaluationReason } from "./evaluation-reason";
import type { FlagSource } from "./flag-snapshot";

/** The getter an evaluation was made through. */
export type EvaluationMethod = "isEnabled" | "getValue" | "getString" | "getNumber" | "getJson" | "isEnabledDetail" | "getValueDetail";

/** What a hook is told about one evaluation, before it runs (the same object in both stages). */
export interface EvaluationHookContext {
  readonly flagKey: string;
  /** The user the flags are evaluated for: the view's user, or the client's default user (if any). */
  readonly user: RollgateUser | undefined;
  /** The default the caller passed. */
  readonly defaultValue: unknown;
  readonly method: EvaluationMethod;
}

/**
 * A hook's own data for one evaluation (OpenFeature's "hook data"): a fresh object per hook and
 * evaluation, shared by that hook's stages only. What `beforeEvaluation` puts in it, or returns
 * in its place, is what `afterEvaluation` receives.
 */
export type EvaluationHookData = Record<string, unknown>;

/** What an evaluation served, as a hook's `afterEvaluation` sees it. */
export interface EvaluationHookDetail {
  /** The value the getter returns (the caller's default when the flag served nothing usable). */
  readonly value: unknown;
  readonly reason: EvaluationReason;
  /**
   * The error code: `reason.errorKind` when `reason.kind` is `"ERROR"` (e.g. `WRONG_TYPE`,
   * `FLAGS_UNAVAILABLE`), and `FLAG_NOT_FOUND` for a flag the user's flags do not have (whose
   * reason, for the getters, is `UNKNOWN`).
   */
  readonly errorKind: EvaluationErrorKind | undefined;
  /** Where the flags read came from: the server, the persistent cache, or nothing yet. */
  readonly source: FlagSource;
  /** The flags read may be out of date (the server could not be reached). */
  readonly stale: boolean;
}

/**
 * Code run around every flag evaluation of the client and of every `forUser` view: the getters
 * (`isEnabled`, `getValue`, `getString`, `getNumber`, `getJson`) and their `*Detail` forms. Both
 * stages are synchronous, as the getters are. Hooks run in the order they were added for
 * `beforeEvaluation` and in reverse order for `afterEvaluation` (the last hook added wraps the
 * evaluation most tightly), as in OpenFeature and LaunchDarkly. A hook that throws changes
 * nothing: the getter returns what it would have, the error is counted
 * (`getStatus().hooks.errors`) and logged once per hook.
 *
 * @example
 * const timing: EvaluationHook = {
 *   name: "timing",
 *   beforeEvaluation: (context, data) => ({ ...data, start: performance.now() }),
 *   afterEvaluation: (context, data, detail) => metrics.observe(context.flagKey, performance.now() - (data.start as number)),
 * };
 * client.addHook(timing);
 */
export interface EvaluationHook {
  /** Named in the warning logged when the hook throws. */
  readonly name?: string;
  /** Before the flag is read. Returns the data for `afterEvaluation` (or fills in `data`). */
  beforeEvaluation?(context: EvaluationHookContext, data: EvaluationHookData): EvaluationHookData | void;
  /** After the flag is read, with what the getter returns and why. */
  afterEvaluation?(context: EvaluationHookContext, data: EvaluationHookData, detail: EvaluationHookDetail): void;
}
