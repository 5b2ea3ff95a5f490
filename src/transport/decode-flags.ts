import type { z } from "zod";
import type { EvaluationReason } from "../evaluation/evaluation-reason";
import type { JsonValue } from "../evaluation/flag-model";
import { PayloadError, type PayloadIssue } from "../errors";
import type { FlagState } from "../snapshot/flag-state";
import { frozenFlagState } from "../snapshot/frozen-flag-state";
import { v1FlagsResponseSchema, v2FlagSchema, v2FlagsResponseSchema, wireReasonSchema, type WireReason } from "./wire-schemas";

const UNKNOWN_REASON: EvaluationReason = Object.freeze({ kind: "UNKNOWN" });

// Most flags share a handful of reasons (OFF, FALLTHROUGH in/out, TARGET_MATCH); interning them
// keeps a 10,000-flag snapshot close to the size of a bare Map of its values. Bounded, so rule
// ids from a huge flag set cannot grow it without limit.
const INTERNED_REASONS = new Map<string, EvaluationReason>();
const MAX_INTERNED_REASONS = 1024;

/** Fills in the fields the server drops when they are zero (PROTOCOL.md §3.3). */
export function decodeReason(wire: WireReason | undefined): EvaluationReason {
  if (wire === undefined) return UNKNOWN_REASON;
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

function issuesOf(error: z.ZodError, prefix: readonly string[] = []): PayloadIssue[] {
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

function flagState(type: FlagState["type"], enabled: boolean, value: JsonValue, reason: EvaluationReason): FlagState {
  if (type === "boolean" && value === enabled) return booleanState(enabled, reason);
  return frozenFlagState(type, enabled, value, reason);
}

/** Validates a v2 body and turns it into flag states. Throws PayloadError; never half-applies. */
export function decodeV2Flags(body: unknown, source: string): Map<string, FlagState> {
  const envelope = v2FlagsResponseSchema.safeParse(body);
  if (!envelope.success) throw new PayloadError(source, issuesOf(envelope.error));
  const flags = new Map<string, FlagState>();
  const issues: PayloadIssue[] = [];
  // Object.entries sees every own key, including one named "__proto__" (kept as data).
  for (const [key, raw] of Object.entries(envelope.data.flags)) {
    const entry = v2FlagSchema.safeParse(raw);
    if (!entry.success) {
      issues.push(...issuesOf(entry.error, ["flags", key]));
      if (issues.length >= MAX_ISSUES) break;
      continue;
    }
    const wire = entry.data;
    flags.set(key, flagState(wire.type, wire.enabled, wire.value, decodeReason(wire.reason)));
  }
  if (issues.length > 0) throw new PayloadError(source, issues.slice(0, MAX_ISSUES));
  return flags;
}

/** Validates a v1 body (booleans only) and turns it into flag states. Throws PayloadError. */
export function decodeV1Flags(body: unknown, source: string): Map<string, FlagState> {
  const envelope = v1FlagsResponseSchema.safeParse(body);
  if (!envelope.success) throw new PayloadError(source, issuesOf(envelope.error));
  const reasons = envelope.data.reasons;
  const flags = new Map<string, FlagState>();
  const issues: PayloadIssue[] = [];
  for (const [key, enabled] of Object.entries(envelope.data.flags)) {
    const wireReason = reasons !== undefined && Object.prototype.hasOwnProperty.call(reasons, key) ? wireReasonSchema.safeParse(reasons[key]) : undefined;
    if (typeof enabled !== "boolean") issues.push({ path: `flags.${key}`, message: "expected a boolean" });
    else if (wireReason !== undefined && !wireReason.success) issues.push(...issuesOf(wireReason.error, ["reasons", key]));
    else flags.set(key, booleanState(enabled, decodeReason(wireReason?.data)));
    if (issues.length >= MAX_ISSUES) break;
  }
  if (issues.length > 0) throw new PayloadError(source, issues.slice(0, MAX_ISSUES));
  return flags;
}
