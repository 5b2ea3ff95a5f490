import type * as z from "zod/mini";
import type { EvaluationReason } from "../model/evaluation-reason";
import type { JsonValue } from "../model/flag-model";
import { PayloadError, type PayloadIssue } from "../errors";
import type { FlagState } from "../model/flag-state";
import { frozenFlagState } from "../snapshot/frozen-flag-state";
import { priorIfEqual } from "../snapshot/prior-if-equal";
import { FlagTable } from "../model/flag-table";
import { IN_ENGLISH } from "../options/in-english";
import { parseV2Flag } from "./parse-v2-flag";
import { v1FlagsResponseSchema, v2FlagSchema, v2FlagsResponseSchema, wireReasonSchema, type WireReason } from "./wire-schemas";

const UNKNOWN_REASON: EvaluationReason = Object.freeze({ kind: "UNKNOWN" });

// Most flags share a handful of reasons (OFF, FALLTHROUGH in/out, TARGET_MATCH); interning them
// keeps a 10,000-flag snapshot close to the size of a bare Map of its values. Bounded, so rule
// ids from a huge flag set cannot grow it without limit.
const INTERNED_REASONS = new Map<string, EvaluationReason>();
const MAX_INTERNED_REASONS = 1024;
// The common reasons (a kind, maybe inRollout, nothing else) are found without building a string
// key: at 10,000 flags per poll, the key strings cost more than the rest of the decoding.
const SIMPLE_REASONS = new Map<WireReason["kind"], [outOfRollout: EvaluationReason, inRollout: EvaluationReason]>();

/** Fills in the fields the server drops when they are zero (PROTOCOL.md §3.3). */
export function decodeReason(wire: WireReason | undefined): EvaluationReason {
  if (wire === undefined) return UNKNOWN_REASON;
  if ((wire.ruleId === undefined || wire.ruleId === "") && (wire.ruleIndex === undefined || wire.ruleIndex === 0) && wire.errorKind === undefined) {
    let pair = SIMPLE_REASONS.get(wire.kind);
    if (pair === undefined) {
      pair = [buildReason({ kind: wire.kind }), buildReason({ kind: wire.kind, inRollout: true })];
      SIMPLE_REASONS.set(wire.kind, pair);
    }
    return pair[wire.inRollout === true ? 1 : 0];
  }
  const id = `${wire.kind}|${wire.ruleId ?? ""}|${wire.ruleIndex ?? 0}|${wire.inRollout === true}|${wire.errorKind ?? ""}`;
  const interned = INTERNED_REASONS.get(id);
  if (interned !== undefined) return interned;
  const reason = buildReason(wire);
  if (INTERNED_REASONS.size < MAX_INTERNED_REASONS) INTERNED_REASONS.set(id, reason);
  return reason;
}

function buildReason(wire: WireReason): EvaluationReason {
  const reason: { -readonly [K in keyof EvaluationReason]: EvaluationReason[K] } = { kind: wire.kind };
  if (wire.ruleId !== undefined && wire.ruleId !== "") reason.ruleId = wire.ruleId;
  if (wire.kind === "RULE_MATCH") reason.ruleIndex = wire.ruleIndex ?? 0;
  else if (wire.ruleIndex !== undefined && wire.ruleIndex !== 0) reason.ruleIndex = wire.ruleIndex;
  if (wire.kind === "RULE_MATCH" || wire.kind === "FALLTHROUGH") reason.inRollout = wire.inRollout ?? false;
  else if (wire.inRollout === true) reason.inRollout = true;
  if (wire.errorKind !== undefined) reason.errorKind = wire.errorKind;
  return Object.freeze(reason);
}

function issuesOf(error: z.core.$ZodError, prefix: readonly string[] = []): PayloadIssue[] {
  return error.issues.map((issue) => ({ path: [...prefix, ...issue.path.map(String)].join("."), message: issue.message }));
}

const MAX_ISSUES = 10;

// Boolean flags that share a reason share one frozen state object: with interned reasons, a
// large flag set of booleans costs little more than a bare Map of its values.
const BOOLEAN_STATES = new WeakMap<EvaluationReason, { on?: FlagState; off?: FlagState }>();

function booleanState(enabled: boolean, reason: EvaluationReason): FlagState {
  let pair = BOOLEAN_STATES.get(reason);
  if (pair === undefined) BOOLEAN_STATES.set(reason, (pair = {}));
  const slot = enabled ? "on" : "off";
  return (pair[slot] ??= Object.freeze({ type: "boolean", enabled, value: enabled, reason }));
}

/** A flag's state: boolean states are shared by every flag with the same reason. */
function flagState(type: FlagState["type"], enabled: boolean, value: JsonValue, reason: EvaluationReason): FlagState {
  if (type === "boolean" && value === enabled) return booleanState(enabled, reason);
  return frozenFlagState(type, enabled, value, reason);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a v2 body and turns it into a flag table. Throws PayloadError; never half-applies.
 *
 * `previous`, the flags last decoded (for this request or another user's), lends its state
 * objects to the flags that equal them, and its keys when they are the same in the same order: a
 * poll in which one flag of 10,000 changed allocates (and freezes) one state, and the client's
 * diff sees the other 9,999 as the same object; a new user whose flags mostly equal the last
 * user's shares their states and their key index instead of holding copies.
 */
export function decodeV2Flags(body: unknown, source: string, previous?: FlagTable): FlagTable {
  const entries = isObject(body) && isObject(body.flags) ? body.flags : undefined;
  if (entries === undefined) {
    const envelope = v2FlagsResponseSchema.safeParse(body, IN_ENGLISH);
    throw new PayloadError(source, envelope.success ? [{ path: "flags", message: "expected an object keyed by flag key" }] : issuesOf(envelope.error));
  }
  const keys: string[] = [];
  const states: FlagState[] = [];
  const issues: PayloadIssue[] = [];
  const priorKeys = previous?.order.list;
  // for-in sees every own key, including one named "__proto__" (kept as data), in Object.keys'
  // order. V8 reads `entries[key]` inside it from the object's enum cache: after Object.keys, each
  // read was a megamorphic keyed load, a lookup among the body's keys (7 to 13 µs per 100 flags
  // in A/B runs). The check, written in full, is what lets V8 keep that path (Object.hasOwn does not).
  for (const key in entries) {
    if (!Object.prototype.hasOwnProperty.call(entries, key)) continue;
    const position = keys.push(key) - 1;
    const raw = entries[key];
    // The hand-written check has the schema's acceptance; the schema only runs to name issues.
    const wire = parseV2Flag(raw);
    if (wire === undefined) {
      const entry = v2FlagSchema.safeParse(raw, IN_ENGLISH);
      issues.push(...(entry.success ? [{ path: `flags.${key}`, message: "invalid flag" }] : issuesOf(entry.error, ["flags", key])));
      if (issues.length >= MAX_ISSUES) break;
      continue;
    }
    const reason = decodeReason(wire.reason);
    // Flags usually come in the order they came last time: the prior state is then at the same position.
    const prior = priorKeys?.[position] === key ? previous!.states[position] : previous?.get(key);
    states.push(priorIfEqual(prior, wire.type, wire.enabled, wire.value, reason) ?? flagState(wire.type, wire.enabled, wire.value, reason));
  }
  if (issues.length > 0) throw new PayloadError(source, issues.slice(0, MAX_ISSUES));
  return FlagTable.from(keys, states, previous?.order);
}

/** Validates a v1 body (booleans only) and turns it into a flag table. Throws PayloadError. */
export function decodeV1Flags(body: unknown, source: string): FlagTable {
  const envelope = v1FlagsResponseSchema.safeParse(body, IN_ENGLISH);
  if (!envelope.success) throw new PayloadError(source, issuesOf(envelope.error));
  const reasons = envelope.data.reasons;
  const keys: string[] = [];
  const states: FlagState[] = [];
  const issues: PayloadIssue[] = [];
  for (const [key, enabled] of Object.entries(envelope.data.flags)) {
    const wireReason = reasons !== undefined && Object.prototype.hasOwnProperty.call(reasons, key) ? wireReasonSchema.safeParse(reasons[key], IN_ENGLISH) : undefined;
    if (typeof enabled !== "boolean") issues.push({ path: `flags.${key}`, message: "expected a boolean" });
    else if (wireReason !== undefined && !wireReason.success) issues.push(...issuesOf(wireReason.error, ["reasons", key]));
    else {
      keys.push(key);
      states.push(flagState("boolean", enabled, enabled, decodeReason(wireReason?.data)));
    }
    if (issues.length >= MAX_ISSUES) break;
  }
  if (issues.length > 0) throw new PayloadError(source, issues.slice(0, MAX_ISSUES));
  return FlagTable.from(keys, states);
}
