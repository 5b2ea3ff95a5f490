import type { EvaluationReason } from "../model/evaluation-reason";
import type { JsonValue } from "../model/flag-model";
import { COUNTER_HITS, COUNTER_SLOT } from "./counter-slot";
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
 * With telemetry on, it carries its counter slot and counts its own evaluations (see
 * `COUNTER_SLOT`, `COUNTER_HITS`): then it is sealed rather than frozen.
 *
 * @example
 * flags.set(key, frozenFlagState("json", true, { max: 3 }, reason));
 */
export function frozenFlagState(type: FlagState["type"], enabled: boolean, value: JsonValue, reason: EvaluationReason, slot?: number): FlagState {
  const frozenValue = deepFreeze(value);
  const frozenReason = Object.isFrozen(reason) ? reason : Object.freeze(reason);
  if (slot === undefined) return Object.freeze({ type, enabled, value: frozenValue, reason: frozenReason });
  // The slot and the hits as a literal's symbol keys (not defineProperty): in-object fields,
  // small integers. Sealed, not frozen: the hits are counted in place (see COUNTER_HITS); the
  // served value and reason stay frozen.
  return Object.seal({ type, enabled, value: frozenValue, reason: frozenReason, [COUNTER_SLOT]: slot, [COUNTER_HITS]: 0 });
}
