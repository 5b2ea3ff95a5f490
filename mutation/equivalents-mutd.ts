import type { EquivalentMutant } from "./equivalents";

/** The equivalent mutants mutD found in src/scope/user-scope.ts (see mutation/equivalents.ts for the format). */

const USER_SCOPE = "src/scope/user-scope.ts";
const AGE = 'return (this.served && source === "server") || (source === "cache" && this.sharedAskedAt > Number.NEGATIVE_INFINITY) ? this : undefined;';
const BREAKER_SHORTCUT = 'if (trigger !== "poll" && trigger !== "stream" && this.deps.breaker.getState() === "open") {';
/** Why letting the poll or the stream through the open-circuit shortcut changes nothing. */
const NOBODY_WAITS =
  "the breaker refuses the attempt at once (CircuitOpenError, not retried) with the same CIRCUIT_OPEN outcome and report; only joining a cycle in flight differs, and nobody awaits a poll's or a stream's fetch";
const APPLY_GUARD = "if (request.user !== this.currentUser || this.store.isComplete) return;";
/** Why the age bookkeeping's starting values are never read. */
const UNREAD_EPOCH = "age() is undefined until apply() or adoptShared() sets the epoch it compares (switchUser() clears served and sharedAskedAt with it), so the value before is never read";

export const MUTD_EQUIVALENTS: readonly EquivalentMutant[] = [
  {
    file: USER_SCOPE,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: AGE,
    reason: "(age) an age given to flags that are neither served nor adopted has askedAt -Infinity (servedAskedAt or sharedAskedAt unset), which judgeFreshness calls expired, as it does undefined",
  },
  {
    file: USER_SCOPE,
    mutator: "LogicalOperator",
    replacement: 'this.served || source === "server"',
    line: AGE,
    reason: "a per-request scope has server flags exactly when served (apply sets both; adoptShared over them sets sharedAskedAt, which the other side tests)",
  },
  {
    file: USER_SCOPE,
    mutator: "LogicalOperator",
    replacement: 'source === "cache" || this.sharedAskedAt > Number.NEGATIVE_INFINITY',
    line: AGE,
    reason: "private cached flags (sharedAskedAt unset) then get an age with askedAt -Infinity: expired, like undefined; sharedAskedAt set with another source means served server flags, accepted by the other side",
  },
  {
    file: USER_SCOPE,
    mutator: "EqualityOperator",
    replacement: "this.sharedAskedAt >= Number.NEGATIVE_INFINITY",
    line: AGE,
    reason: "private cached flags (sharedAskedAt -Infinity) then get an age with askedAt -Infinity, which judgeFreshness calls expired, as it does undefined",
  },
  {
    file: USER_SCOPE,
    mutator: "StringLiteral",
    replacement: '"Stryker was here!"',
    line: 'private reason = "";',
    reason: "staleReason reads it only while the flags are stale, and every way to stale (markStale, switchUser, adoptShared, loadCache, onFailed) sets a reason first",
  },
  { file: USER_SCOPE, mutator: "UnaryOperator", replacement: "+1", line: "private fetchedEpoch = -1;", reason: UNREAD_EPOCH },
  { file: USER_SCOPE, mutator: "UnaryOperator", replacement: "+1", line: "private sharedEpoch = -1;", reason: UNREAD_EPOCH },
  { file: USER_SCOPE, mutator: "UnaryOperator", replacement: "+1", line: "this.fetchedEpoch = -1;", reason: UNREAD_EPOCH },
  { file: USER_SCOPE, mutator: "UnaryOperator", replacement: "+1", line: "this.sharedEpoch = -1;", reason: UNREAD_EPOCH },
  {
    file: USER_SCOPE,
    mutator: "UnaryOperator",
    replacement: "+1",
    line: "private pendingEpoch = -1;",
    reason: "fetch() sets it before the first request leaves, and apply() only runs for a request fetch() sent",
  },
  {
    file: USER_SCOPE,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "etag: snapshot.user === this.currentUser ? snapshot.etag : undefined",
    reason: "every snapshot applied carries the current user (switchUser() applies the new user's empty snapshot before anything else), so the test is true whenever a request can still be sent",
  },
  {
    file: USER_SCOPE,
    mutator: "UpdateOperator",
    replacement: "this.generation--",
    line: "this.generation++;",
    reason: "generations only need to differ from the earlier ones (FlagFetcher and loadCache compare them for equality); counting down they do",
  },
  { file: USER_SCOPE, mutator: "ConditionalExpression", replacement: "true", line: BREAKER_SHORTCUT, original: 'trigger !== "poll"', reason: NOBODY_WAITS },
  { file: USER_SCOPE, mutator: "ConditionalExpression", replacement: "true", line: BREAKER_SHORTCUT, original: 'trigger !== "poll" && trigger !== "stream"', reason: NOBODY_WAITS },
  { file: USER_SCOPE, mutator: "ConditionalExpression", replacement: "true", line: BREAKER_SHORTCUT, original: 'trigger !== "stream"', reason: NOBODY_WAITS },
  {
    file: USER_SCOPE,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: APPLY_GUARD,
    reason: "switchUser() and close() cancel the fetch in flight first (unsubscribing it), so an answer for another user or after close never reaches apply()",
  },
  {
    file: USER_SCOPE,
    mutator: "LogicalOperator",
    replacement: "request.user !== this.currentUser && this.store.isComplete",
    line: APPLY_GUARD,
    reason: "the same: a cancelled fetch never calls apply(), so neither test is ever true here",
  },
  {
    file: USER_SCOPE,
    mutator: "BooleanLiteral",
    replacement: "true",
    line: "this.failed = false;",
    reason: "(apply) after an answer the flags' source is server (only switchUser, which clears failed, brings back defaults), so missingReason never reads failed, and loadCache returns early once served",
  },
  {
    file: USER_SCOPE,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: 'if (stale) this.reason = "Serving flags from the shared store',
    reason: "staleReason reads the reason only while the flags are stale, and every later way to stale sets its own reason first",
  },
];
