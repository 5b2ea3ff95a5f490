import type { EvaluationReason } from "../model/evaluation-reason";
import type { JsonValue } from "../model/flag-model";
import type { FlagState } from "../model/flag-state";

/**
 * Freezes a JSON value deeply, so that a value handed to callers cannot corrupt the snapshot
 * (or what every other caller reads). Values are validated before (at most 64 levels deep, see
 * `isJsonValue`), so the recursion is bounded.
 *
 * @example
 * const value = deepFreeze(JSON.parse(text) as JsonValue);
 */
export function deepFreeze<T extends JsonValue>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The one way a flag state is made, whatever its source (the wire, the cache): frozen, with its
 * value frozen deeply and its reason frozen, so every served value is immutable (issue 13 item 5).
 *
 * @example
 * flags.set(key, frozenFlagState("json", true, { max: 3 }, reason));
 */
export function frozenFlagState(type: FlagState["type"], enabled: boolean, value: JsonValue, reason: EvaluationReason): FlagState {
  const frozenValue = deepFreeze(value);
  const frozenReason = Object.isFrozen(reason) ? reason : Object.freeze(reason);
  return Object.freeze({ type, enabled, value: frozenValue, reason: frozenReason });
}
