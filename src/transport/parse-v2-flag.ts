import type { JsonValue } from "../model/flag-model";
import { isJsonValue } from "../options/json-value-schema";
import type { FlagType } from "../model/flag-state";
import type { WireReason } from "./wire-schemas";

/** One v2 flag entry once validated: what `v2FlagSchema` (zod) outputs for it. */
export interface WireV2Flag {
  readonly type: FlagType;
  readonly value: JsonValue;
  readonly enabled: boolean;
  readonly reason: WireReason | undefined;
}

/**
 * `kind` when it is a reason kind rollgate knows, else "UNKNOWN", as this module's own string.
 * JSON.parse internalizes only strings of at most 10 characters, so "FALLTHROUGH" and
 * "TARGET_MATCH" arrive as new strings for every flag: a `Set.has` hashed each one, and so did the
 * decoder's lookup of the shared reason by kind. The literals returned here are hashed once.
 */
function knownKind(kind: unknown): WireReason["kind"] {
  switch (kind) {
    case "OFF":
      return "OFF";
    case "TARGET_MATCH":
      return "TARGET_MATCH";
    case "RULE_MATCH":
      return "RULE_MATCH";
    case "FALLTHROUGH":
      return "FALLTHROUGH";
    case "ERROR":
      return "ERROR";
    default:
      return "UNKNOWN";
  }
}
const ERROR_KINDS: ReadonlySet<string> = new Set(["FLAG_NOT_FOUND", "MALFORMED_FLAG", "USER_NOT_SPECIFIED", "CLIENT_NOT_READY", "WRONG_TYPE", "EXCEPTION"]);

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The reason as `wireReasonSchema` outputs it, or `false` when the schema rejects it. */
function parseReason(raw: unknown): WireReason | false {
  if (!isPlainRecord(raw)) return false;
  const { kind, ruleId, ruleIndex, inRollout, errorKind } = raw;
  if (ruleId !== undefined && typeof ruleId !== "string") return false;
  if (ruleIndex !== undefined && !(typeof ruleIndex === "number" && Number.isSafeInteger(ruleIndex) && ruleIndex >= 0)) return false;
  if (inRollout !== undefined && typeof inRollout !== "boolean") return false;
  // `kind` and `errorKind` never reject: an unknown one reads as UNKNOWN / absent (a newer server).
  const reason: { -readonly [K in keyof WireReason]: WireReason[K] } = {
    kind: knownKind(kind),
  };
  if (ruleId !== undefined) reason.ruleId = ruleId;
  if (ruleIndex !== undefined) reason.ruleIndex = ruleIndex as number;
  if (inRollout !== undefined) reason.inRollout = inRollout;
  if (typeof errorKind === "string" && ERROR_KINDS.has(errorKind)) reason.errorKind = errorKind as WireReason["errorKind"];
  return reason;
}

/**
 * Validates one v2 flag entry with exactly the acceptance of `v2FlagSchema` (proved by a property
 * test against it), without zod's per-call cost: a poll of 10,000 flags runs this 10,000 times.
 * Returns `undefined` when the schema would reject the entry; the caller then asks the schema
 * itself for the issues, so error messages stay zod's.
 */
export function parseV2Flag(raw: unknown): WireV2Flag | undefined {
  if (!isPlainRecord(raw)) return undefined;
  const { key, type, value, enabled, reason } = raw;
  if (key !== undefined && typeof key !== "string") return undefined;
  if (type !== "boolean" && type !== "string" && type !== "number" && type !== "json") return undefined;
  if (typeof enabled !== "boolean") return undefined;
  if (!isJsonValue(value)) return undefined;
  let wireReason: WireReason | undefined;
  if (reason !== undefined) {
    const parsed = parseReason(reason);
    if (parsed === false) return undefined;
    wireReason = parsed;
  }
  // The schema's refinement: an enabled typed flag carries a value of its type (PROTOCOL.md §3.8).
  if (enabled && type !== "boolean" && (type === "json" ? typeof value !== "object" || value === null : typeof value !== type)) return undefined;
  return { type, value, enabled, reason: wireReason };
}
