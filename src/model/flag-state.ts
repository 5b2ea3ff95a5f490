import type { EvaluationReason } from "./evaluation-reason";
import type { JsonValue } from "./flag-model";

/** The type the server declares for a flag (PROTOCOL.md §3.8). */
export type FlagType = "boolean" | "string" | "number" | "json";

/**
 * One flag as served to this client for its current user.
 *
 * `enabled` is the boolean evaluation result; `value` is the typed value when enabled (for a
 * v1 server, which only sends booleans, `value === enabled` and `type === "boolean"`). An enabled
 * typed flag's value always has its type's JSON kind (`"json"`: an object or an array): the
 * decoders and the cache refuse anything else, and the getters rely on it.
 */
export interface FlagState {
  readonly type: FlagType;
  readonly enabled: boolean;
  readonly value: JsonValue;
  readonly reason: EvaluationReason;
}
