import { SCOPE_EQUIVALENTS } from "./equivalents-scope";
import { MUTD_EQUIVALENTS } from "./equivalents-mutd";
import { MUTC_EQUIVALENTS } from "./equivalents-mutc";
import { MUTE_EQUIVALENTS } from "./equivalents-mute";
import { LEAD_EQUIVALENTS } from "./equivalents-lead";
import { MUTG_EQUIVALENTS } from "./equivalents-mutg";
import { MUTH_EQUIVALENTS } from "./equivalents-mutH";
import { MUTF_EQUIVALENTS } from "./equivalents-mutf";
import { MUTK_EQUIVALENTS } from "./equivalents-mutK";

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
  /** The exact source text replaced, when two mutants of one line share mutator and replacement. */
  readonly original?: string;
  readonly reason: string;
}

const IS_IN_ROLLOUT = "src/evaluation/is-in-rollout.ts";
const EVALUATE_FLAG = "src/evaluation/evaluate-flag.ts";
const CONDITIONS_CHECK = "if (conditions !== undefined && conditions.length > 0) {";
const CIRCUIT_BREAKER = "src/resilience/circuit-breaker.ts";
const RETRY_AFTER = "src/resilience/retry-after.ts";
const WITH_RETRY = "src/resilience/with-retry.ts";
const CACHE_ENTRY = "src/cache/cache-entry.ts";
const CLASSIFY_FAILURE = "src/resilience/classify-failure.ts";
const CAUSE_LOOKUP = "const cause = typeof error === \"object\" && error !== null ? (error as { cause?: unknown }).cause : undefined;";
const EVENT_TALLY = "src/events/event-tally.ts";
const DECODE_FLAGS = "src/transport/decode-flags.ts";
const ISSUE_LIMIT = "if (issues.length >= MAX_ISSUES) break;";

export const EQUIVALENT_MUTANTS: readonly EquivalentMutant[] = [
  {
    file: EVALUATE_FLAG,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (attributes === undefined) {",
    reason: "a per-user cache: building the attribute map again gives an equal map",
  },
  {
    file: EVALUATE_FLAG,
    mutator: "EqualityOperator",
    replacement: "conditions.length >= 0",
    line: CONDITIONS_CHECK,
    reason: "the same shortcut: conditionsMatch of an empty list is true",
  },
  {
    file: EVALUATE_FLAG,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: CONDITIONS_CHECK,
    original: "conditions.length > 0",
    reason: "a shortcut that only skips building the attribute map: conditionsMatch of an empty list is true",
  },
  {
    file: EVALUATE_FLAG,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (Object.hasOwn(record, key)) return true;",
    reason: "an inherited variation key is rejected anyway by the Object.hasOwn lookup of the chosen key below",
  },
  {
    file: EVALUATE_FLAG,
    mutator: "BooleanLiteral",
    replacement: "true",
    line: "return false;",
    reason: "(hasOwnKeys) an empty variations object then fails the Object.hasOwn lookup of the chosen key below, which serves true as well",
  },
  {
    file: WITH_RETRY,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (!subscriber.closed) run();",
    reason: "the subscriber only closes by unsubscribing, whose teardown cancels this wait first",
  },
  {
    file: RETRY_AFTER,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: 'if (value === "") return undefined;',
    reason: "a shortcut: an empty value is neither delay-seconds (/^\\d+$/) nor an HTTP date, which give undefined too",
  },
  {
    file: RETRY_AFTER,
    mutator: "StringLiteral",
    replacement: '"Stryker was here!"',
    line: 'if (value === "") return undefined;',
    reason: "the same shortcut, skipped for the empty value: the checks below give undefined too",
  },
  {
    file: CIRCUIT_BREAKER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: 'if (state.kind === "half-open") {',
    reason: "a request made while closed would get a probe id and send probe-started/probe-abandoned, which the reducer ignores outside half-open; a later probe gets a newer id",
  },
  {
    file: CIRCUIT_BREAKER,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (this.disposed) return;",
    reason:
      "(dispose) a second dispose() unsubscribes and completes again, which RxJS ignores: idempotent either way; (dispatch) after dispose() the events subject is complete, so an event dispatched then is ignored by RxJS all the same",
  },
  {
    file: CIRCUIT_BREAKER,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: 'if (event.type === "success" && current.kind === "closed" && current.consecutiveFailures === 0) return;',
    reason: "a shortcut: for a success while closed with no failures the reducer returns the very state it was given, which distinctUntilChanged drops, so dispatched or not nothing changes or is emitted",
  },
  {
    file: CIRCUIT_BREAKER,
    mutator: "UpdateOperator",
    replacement: "--this.probeId",
    line: "probeId = ++this.probeId;",
    reason: "probe ids counting down are as distinct as ids counting up",
  },
  {
    file: CIRCUIT_BREAKER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (!settled) {",
    reason: "abandoning a probe that already had an outcome changes nothing: the circuit has left half-open-with-a-probe, or a newer probe holds a newer id",
  },
  {
    file: CIRCUIT_BREAKER,
    mutator: "BooleanLiteral",
    replacement: "false",
    line: "settled = true;",
    reason: "in the teardown, nothing reads settled afterwards: the attempt's subscription is gone",
  },
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
  {
    file: CLASSIFY_FAILURE,
    mutator: "StringLiteral",
    replacement: '""',
    line: 'if (message === "") return "unknown failure";',
    reason: "an empty description is no detail either (errorDetail gives undefined), and classifyFailure then says \"unknown failure\" itself",
  },
  {
    file: CLASSIFY_FAILURE,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: CAUSE_LOOKUP,
    reason: "only an object has a non-empty message or name (stringProperty gives \"\" for anything else, returned above), so the error is always a non-null object here",
  },
  {
    file: CLASSIFY_FAILURE,
    mutator: "LogicalOperator",
    replacement: 'typeof error === "object" || error !== null',
    line: CAUSE_LOOKUP,
    reason: "the error is always a non-null object here (a message or name was found), so either test is true",
  },
  {
    file: CLASSIFY_FAILURE,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: 'return causeMessage !== "" && !message.includes(causeMessage) ? `${message}: ${causeMessage}` : message;',
    original: 'causeMessage !== ""',
    reason: "every message includes the empty string, so for an empty cause message the second test is false anyway",
  },
  {
    file: CLASSIFY_FAILURE,
    mutator: "StringLiteral",
    replacement: '"Stryker was here!"',
    line: 'return causeMessage !== "" && !message.includes(causeMessage) ? `${message}: ${causeMessage}` : message;',
    reason: "every message includes the empty string, so an empty cause message fails the second test anyway",
  },
  {
    file: CACHE_ENTRY,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "...(entry.etag === undefined ? {} : { etag: entry.etag }),",
    reason: "JSON.stringify leaves out a property whose value is undefined, so { etag: undefined } writes the same text",
  },
  {
    file: CACHE_ENTRY,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: 'if (first === undefined) return "does not match the cache format";',
    reason: "a failed zod parse always has at least one issue",
  },
  {
    file: CACHE_ENTRY,
    mutator: "StringLiteral",
    replacement: '""',
    line: 'if (first === undefined) return "does not match the cache format";',
    reason: "unreachable: a failed zod parse always has at least one issue",
  },
  {
    file: CACHE_ENTRY,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: 'return `${path === "" ? "" : `${path}: `}${first.message}${more}`;',
    reason: "the path is never empty: the entry is an object (checked first), so an issue is under a field or flags.<key>",
  },
  {
    file: CACHE_ENTRY,
    mutator: "StringLiteral",
    replacement: '"Stryker was here!"',
    line: 'return `${path === "" ? "" : `${path}: `}${first.message}${more}`;',
    reason: "the path is never empty (an issue is under a field or flags.<key>), so comparing it to another string is false as well, and the empty-path text is never used",
  },
  {
    file: CACHE_ENTRY,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: 'return typeof value === "object" && value !== null && !Array.isArray(value);',
    original: 'typeof value === "object"',
    reason: "(isRecord) a primitive taken for a record has no type or kind field, so the fast path still gives up and the schemas reject it with the same reason",
  },
  {
    file: EVENT_TALLY,
    mutator: "StringLiteral",
    replacement: '""',
    line: 'this.warnOnce("unreadable", `track() dropped an event that could not be read',
    reason: "the once-only key need only differ from the others (invalid-<field>, track-<reason>, too-large, too-large-event), and the empty key does",
  },
  {
    file: DECODE_FLAGS,
    mutator: "EqualityOperator",
    replacement: "wire.inRollout !== true",
    line: "const id = `${wire.kind}|",
    reason: "the intern key's inRollout part is only relabelled (true and not-true swap their text): keys stay distinct exactly when the reasons differ",
  },
  {
    file: DECODE_FLAGS,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "return prior.value === value || jsonEqual(prior.value, value) ? prior : undefined;",
    reason: "a shortcut: jsonEqual of the same value is true",
  },
  {
    file: DECODE_FLAGS,
    mutator: "ArrayDeclaration",
    replacement: "[]",
    line: 'throw new PayloadError(source, envelope.success ? [{ path: "flags", message: "expected an object keyed by flag key" }] : issuesOf(envelope.error));',
    reason: "unreachable: the envelope schema rejects every body the isObject checks reject (it was written to match), so it never succeeds here",
  },
  {
    file: DECODE_FLAGS,
    mutator: "StringLiteral",
    replacement: '""',
    line: 'throw new PayloadError(source, envelope.success ? [{ path: "flags", message: "expected an object keyed by flag key" }] : issuesOf(envelope.error));',
    reason: "unreachable: the envelope schema rejects every body the isObject checks reject, so it never succeeds here",
  },
  {
    file: DECODE_FLAGS,
    mutator: "ArrayDeclaration",
    replacement: "[]",
    line: 'issues.push(...(entry.success ? [{ path: `flags.${key}`, message: "invalid flag" }] : issuesOf(entry.error, ["flags", key])));',
    reason: "unreachable: parseV2Flag has the flag schema's acceptance, so the schema never accepts a flag it refused",
  },
  {
    file: DECODE_FLAGS,
    mutator: "StringLiteral",
    replacement: '""',
    line: 'issues.push(...(entry.success ? [{ path: `flags.${key}`, message: "invalid flag" }] : issuesOf(entry.error, ["flags", key])));',
    original: '"invalid flag"',
    reason: "unreachable: parseV2Flag has the flag schema's acceptance, so the schema never accepts a flag it refused",
  },
  {
    file: DECODE_FLAGS,
    mutator: "StringLiteral",
    replacement: "``",
    line: 'issues.push(...(entry.success ? [{ path: `flags.${key}`, message: "invalid flag" }] : issuesOf(entry.error, ["flags", key])));',
    reason: "unreachable: parseV2Flag has the flag schema's acceptance, so the schema never accepts a flag it refused",
  },
  {
    file: DECODE_FLAGS,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: ISSUE_LIMIT,
    reason: "(v2 and v1) stopping early only saves work: the issues are cut to MAX_ISSUES when thrown",
  },
  {
    file: DECODE_FLAGS,
    mutator: "EqualityOperator",
    replacement: "issues.length > MAX_ISSUES",
    line: ISSUE_LIMIT,
    reason: "(v2 and v1) stopping one flag later only costs work: the issues are cut to MAX_ISSUES when thrown",
  },
  ...SCOPE_EQUIVALENTS,
  ...MUTD_EQUIVALENTS,
  ...MUTC_EQUIVALENTS,
  ...MUTE_EQUIVALENTS,
  ...LEAD_EQUIVALENTS,
  ...MUTG_EQUIVALENTS,
  ...MUTH_EQUIVALENTS,
  ...MUTF_EQUIVALENTS,
  ...MUTK_EQUIVALENTS,
];
