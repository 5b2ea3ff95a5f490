import type { EquivalentMutant } from "./equivalents";

/** The equivalent mutants of mutG's files (issue 25; see mutation/equivalents.ts for the format). */

const HOOKED_EVALUATION = "src/scope/hooked-evaluation.ts";
const REQUEST_SLOTS = "src/resilience/request-slots.ts";
const ABORTABLE = "src/resilience/abortable.ts";
const ERROR_KIND = 'const errorKind = reason.errorKind ?? (state === undefined && reason.kind === "UNKNOWN" ? "FLAG_NOT_FOUND" : undefined);';

export const MUTG_EQUIVALENTS: readonly EquivalentMutant[] = [
  {
    file: HOOKED_EVALUATION,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: ERROR_KIND,
    original: 'reason.kind === "UNKNOWN"',
    reason: "a missing flag's reason is scope.missingReason(): UNKNOWN, or an ERROR whose own errorKind (CLIENT_NOT_READY, FLAGS_UNAVAILABLE) the ?? takes first",
  },
  {
    file: REQUEST_SLOTS,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (this.free > 0 && this.queuedCount === 0) {",
    original: "this.queuedCount === 0",
    reason: "no caller can see a free slot while someone waits: release() hands it on (startNext) before it completes or errors the request, and startNext starts waiters while slots are free",
  },
  {
    file: ABORTABLE,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (settled) return;",
    reason: "(the answer, the failure, the deadline) settled here means another way came first: the deadline and an unsubscribe abort the controller (which release() refuses to keep) and close the subscriber (RxJS drops next/complete/error after that), and the answer or failure unsubscribes the deadline's timer",
  },
  {
    file: ABORTABLE,
    mutator: "BooleanLiteral",
    replacement: "false",
    line: "settled = true;",
    reason: "(deadline, unsubscribe) both abort the controller and close the subscriber: a late answer is then refused by release() and dropped by RxJS, and a second abort() of an aborted signal does nothing",
  },
];
