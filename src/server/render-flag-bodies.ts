import type { EvaluationReason } from "../model/evaluation-reason";
import type { EvaluationUser } from "../model/flag-model";
import { encodeReason, evaluateFlag, type FlagEvaluation } from "../evaluation";
import type { FlagStore, StoredFlag } from "./flag-store";
import { encodeGoJson, encodeGoStruct } from "./go-json";

// The engine returns shared frozen objects for its common reasons (OFF, TARGET_MATCH,
// FALLTHROUGH): encode each of those once instead of once per flag per request.
const encodedSharedReasons = new WeakMap<EvaluationReason, string>();

/** A reason as the reference server writes it: zero fields dropped (§3.3), struct field order. */
function encodeReasonJson(reason: EvaluationReason): string {
  if (!Object.isFrozen(reason)) return encodeGoStruct(encodeReason(reason));
  let encoded = encodedSharedReasons.get(reason);
  if (encoded === undefined) {
    encoded = encodeGoStruct(encodeReason(reason));
    encodedSharedReasons.set(reason, encoded);
  }
  return encoded;
}

/** A v1 body and the JSON of its `flags` object, from which the ETag is computed. */
export interface V1FlagsBody {
  readonly body: string;
  readonly flagsJson: string;
}

/**
 * The v1 body (PROTOCOL.md §1.2): `{"flags":{key:bool}}` for every flag, keys sorted, plus
 * `"reasons"` with the same keys (zero fields dropped, §3.3) when asked for.
 *
 * @example
 * renderV1Flags(store, { id: "user-1" }, true).body; // '{"flags":{"a":true},"reasons":{"a":{"kind":"FALLTHROUGH","inRollout":true}}}'
 */
export function renderV1Flags(store: FlagStore, user: EvaluationUser, withReasons: boolean): V1FlagsBody {
  const segments = store.segments;
  let flags = "";
  let reasons = "";
  for (const flag of store.all) {
    const result = evaluateFlag(flag.definition, user, segments);
    const separator = flags === "" ? "" : ",";
    flags += `${separator}${flag.encodedKey}:${result.enabled}`;
    if (withReasons) reasons += `${separator}${flag.encodedKey}:${encodeReasonJson(result.reason)}`;
  }
  const flagsJson = `{${flags}}`;
  // Go's `omitempty` drops an empty reasons map, so an empty flag set has no "reasons" even
  // when asked for (inferred from the reference server omitting the field without withReasons).
  return { flagsJson, body: reasons === "" ? `{"flags":${flagsJson}}` : `{"flags":${flagsJson},"reasons":{${reasons}}}` };
}

/** A flag's last v2 entry and what it was written from. */
interface RenderedV2Flag {
  readonly value: unknown;
  readonly enabled: boolean;
  readonly reason: EvaluationReason;
  readonly json: string;
}

// Most users get the same result for a flag (its value and one of the engine's shared reasons):
// the entry written for the last of them is written again as is. Keyed by the stored flag, which
// the store replaces whenever the flag changes.
const lastV2Entries = new WeakMap<StoredFlag, RenderedV2Flag>();

/** One flag's `key:{...}` entry of the v2 body. */
function renderV2Entry(flag: StoredFlag, result: FlagEvaluation): string {
  const { value, enabled, reason } = result;
  const last = lastV2Entries.get(flag);
  if (last !== undefined && last.value === value && last.enabled === enabled && last.reason === reason) return last.json;
  const json =
    `${flag.encodedKey}:{"key":${flag.encodedKey},"type":"${result.type}",` +
    `"value":${encodeGoJson(value)},"enabled":${enabled},"reason":${encodeReasonJson(reason)}}`;
  // Only a shared reason can be the same object next time (see encodeReasonJson).
  if (Object.isFrozen(reason)) lastV2Entries.set(flag, { value, enabled, reason, json });
  return json;
}

/**
 * The v2 body (§1.3): `{"flags":{key:{key,type,value,enabled,reason}}}`, the value `false`
 * whenever the flag is not enabled (§3.8); JSON values are written with sorted keys as Go does.
 */
export function renderV2Flags(store: FlagStore, user: EvaluationUser): string {
  const segments = store.segments;
  let flags = "";
  for (const flag of store.all) {
    const entry = renderV2Entry(flag, evaluateFlag(flag.definition, user, segments));
    flags = flags === "" ? entry : `${flags},${entry}`;
  }
  return `{"flags":{${flags}}}`;
}
