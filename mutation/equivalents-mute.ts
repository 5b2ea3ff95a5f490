import type { EquivalentMutant } from "./equivalents";

/** The equivalent mutants of mutE's files (issue 25; see mutation/equivalents.ts for the format). */

const FLAG_FETCHER = "src/scope/flag-fetcher.ts";
const PACED_REFRESH = "src/scope/paced-refresh.ts";
const EVENT_SENDER = "src/events/event-sender.ts";
const FULL_BATCH_CHECK = "if (this.queue.size >= this.deps.options.maxBatch && !this.waitForTick) this.enqueuePass(\"full-batches\");";
const CLOSE_RACE = "race(from(finalPass).pipe(map(() => true)), timer(budgetMs, this.deps.requestOptions.scheduler).pipe(map(() => false))),";

export const MUTE_EQUIVALENTS: readonly EquivalentMutant[] = [
  {
    file: EVENT_SENDER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: FULL_BATCH_CHECK,
    original: "this.queue.size >= this.deps.options.maxBatch && !this.waitForTick",
    reason: "a shortcut: the full-batches pass checks both again when it runs (pass()), so a pass asked for too early sends nothing, and one asked for in time sends the same batches",
  },
  {
    file: EVENT_SENDER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: FULL_BATCH_CHECK,
    original: "this.queue.size >= this.deps.options.maxBatch",
    reason: "the same shortcut: the full-batches pass returns at once while fewer than maxBatch events wait",
  },
  {
    file: EVENT_SENDER,
    mutator: "LogicalOperator",
    replacement: "this.queue.size >= this.deps.options.maxBatch || !this.waitForTick",
    line: FULL_BATCH_CHECK,
    reason: "the same shortcut: the full-batches pass returns at once while fewer than maxBatch events wait or a tick is awaited",
  },
  {
    file: EVENT_SENDER,
    mutator: "ArrowFunction",
    replacement: "() => undefined",
    line: CLOSE_RACE,
    reason: "(either side) undefined is falsy like false; when the final pass has ended, cancelling again reaches no send and awaiting it resolves at once",
  },
  {
    file: EVENT_SENDER,
    mutator: "BooleanLiteral",
    replacement: "false",
    line: CLOSE_RACE,
    reason: "when the final pass has ended in time, cancelling again reaches no send (its subscription is gone) and awaiting it resolves at once",
  },
  {
    file: EVENT_SENDER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (!finished) {",
    reason: "when the final pass has ended in time, cancelling again reaches no send (its subscription is gone) and awaiting it resolves at once",
  },
  {
    file: EVENT_SENDER,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: 'const coalesces = mode === "tick" || mode === "full-batches";',
    original: 'mode === "full-batches"',
    reason: "full-batches passes not coalesced: each re-checks at its start, so the extra ones find fewer than maxBatch (or a tick awaited) and return; the same batches leave in the same order",
  },
  {
    file: EVENT_SENDER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (coalesces) this.queuedPasses.delete(mode);",
    reason: "deleting a mode that was never added (all, close) from the set is a no-op",
  },

  {
    file: EVENT_SENDER,
    mutator: "StringLiteral",
    replacement: '""',
    line: 'this.tally.warnOnce("too-large", `Rollgate refused a batch of',
    reason: "the once-only key need only differ from the tally's other keys (too-large-event, invalid-<field>, track-<reason>, unreadable), and the empty key does",
  },
  {
    file: EVENT_SENDER,
    mutator: "StringLiteral",
    replacement: '""',
    line: 'this.tally.warnOnce("too-large-event", `Rollgate refused a conversion event of',
    reason: "the once-only key need only differ from the tally's other keys (too-large, invalid-<field>, track-<reason>, unreadable), and the empty key does",
  },
  {
    file: PACED_REFRESH,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (!pass.closed) this.passes.add(pass);",
    reason: "RxJS's Subscription.add ignores a subscription that is already closed, so adding it anyway changes nothing",
  },
  {
    file: FLAG_FETCHER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (this.inFlight === entry) this.inFlight = undefined;",
    reason: "done() runs only for the entry in flight: a replaced entry was cancelled first, which unsubscribed its attempt, so its next/error never come",
  },
];
