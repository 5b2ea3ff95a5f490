import type { z } from "zod";
import type { EvaluationReason } from "../evaluation/evaluation-reason";
import type { JsonValue } from "../evaluation/flag-model";
import { PayloadError, type PayloadIssue } from "../errors";
import type { FlagState } from "../snapshot/flag-state";
import { v1FlagsResponseSchema, v2FlagsResponseSchema, type WireReason } from "./wire-schemas";

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

/** Freezes a JSON value deeply, so that a value handed to callers cannot corrupt the snapshot. */
export function deepFreeze<T extends JsonValue>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function issuesOf(error: z.ZodError): PayloadIssue[] {
  return error.issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

/** Validates a v2 body and turns it into flag states. Throws PayloadError; never half-applies. */
export function decodeV2Flags(body: unknown, source: string): Map<string, FlagState> {
  const parsed = v2FlagsResponseSchema.safeParse(body);
  if (!parsed.success) throw new PayloadError(source, issuesOf(parsed.error));
  const flags = new Map<string, FlagState>();
  for (const [key, wire] of Object.entries(parsed.data.flags)) {
    flags.set(
      key,
      Object.freeze({ type: wire.type, enabled: wire.enabled, value: deepFreeze(wire.value), reason: decodeReason(wire.reason) }),
    );
  }
  return flags;
}

/** Validates a v1 body (booleans only) and turns it into flag states. Throws PayloadError. */
export function decodeV1Flags(body: unknown, source: string): Map<string, FlagState> {
  const parsed = v1FlagsResponseSchema.safeParse(body);
  if (!parsed.success) throw new PayloadError(source, issuesOf(parsed.error));
  const reasons = parsed.data.reasons ?? {};
  const flags = new Map<string, FlagState>();
  for (const [key, enabled] of Object.entries(parsed.data.flags)) {
    flags.set(key, Object.freeze({ type: "boolean", enabled, value: enabled, reason: decodeReason(reasons[key]) }));
  }
  return flags;
}
