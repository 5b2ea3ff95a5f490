import type { EvaluationReason } from "../model/evaluation-reason";
import type { JsonValue } from "../model/flag-model";
import type { FlagState } from "../model/flag-state";
import { jsonEqual } from "./json-equal";

/**
 * `prior` when it is the state of a flag with this type, `enabled`, value (equal as JSON) and
 * reason (the same object: decoders share their reasons), else undefined. Decoders lend the
 * flags they decoded last to the ones they decode now, so that an unchanged flag keeps its state
 * object (a poll's diff sees it unchanged at a glance) and users whose flags are alike share their
 * states instead of holding frozen copies.
 *
 * @example
 * const state = priorIfEqual(previous.get(key), type, enabled, value, reason) ?? frozenFlagState(type, enabled, value, reason);
 */
export function priorIfEqual(prior: FlagState | undefined, type: FlagState["type"], enabled: boolean, value: JsonValue, reason: EvaluationReason): FlagState | undefined {
  if (prior === undefined || prior.type !== type || prior.enabled !== enabled || prior.reason !== reason) return undefined;
  return prior.value === value || jsonEqual(prior.value, value) ? prior : undefined;
}
