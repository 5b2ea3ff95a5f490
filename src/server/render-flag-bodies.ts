import type { EvaluationUser } from "../evaluation/flag-model";
import { encodeReason, evaluateFlag } from "../evaluation";
import type { FlagStore } from "./flag-store";
import { encodeGoJson, encodeGoStruct } from "./go-json";

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
    if (withReasons) reasons += `${separator}${flag.encodedKey}:${encodeGoStruct(encodeReason(result.reason))}`;
  }
  const flagsJson = `{${flags}}`;
  return { flagsJson, body: withReasons ? `{"flags":${flagsJson},"reasons":{${reasons}}}` : `{"flags":${flagsJson}}` };
}

/**
 * The v2 body (§1.3): `{"flags":{key:{key,type,value,enabled,reason}}}`, the value `false`
 * whenever the flag is not enabled (§3.8); JSON values are written with sorted keys as Go does.
 */
export function renderV2Flags(store: FlagStore, user: EvaluationUser): string {
  const segments = store.segments;
  let flags = "";
  for (const flag of store.all) {
    const result = evaluateFlag(flag.definition, user, segments);
    flags +=
      `${flags === "" ? "" : ","}${flag.encodedKey}:{"key":${flag.encodedKey},"type":"${result.type}",` +
      `"value":${encodeGoJson(result.value)},"enabled":${result.enabled},"reason":${encodeGoStruct(encodeReason(result.reason))}}`;
  }
  return `{"flags":{${flags}}}`;
}
