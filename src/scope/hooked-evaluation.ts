import type { EvaluationReason } from "../model/evaluation-reason";
import type { JsonValue } from "../model/flag-model";
import type { EvaluationHookContext, EvaluationHookDetail, EvaluationMethod } from "../model/evaluation-hook";
import type { EvaluationHooks } from "./evaluation-hooks";
import type { FlagState } from "../model/flag-state";
import { countAt } from "../model/flag-cells";
import { schemaValueDetail } from "../snapshot/schema-value";
import { servedValue, servedValueFor } from "../snapshot/served-value";
import type { StandardSchemaV1 } from "../snapshot/standard-schema";
import type { UserScope } from "./user-scope";

const WRONG_TYPE: EvaluationReason = Object.freeze({ kind: "ERROR", errorKind: "WRONG_TYPE" });

/** What each getter serves from a state it found, or `undefined` for the caller's default. */
function pick(method: EvaluationMethod, state: FlagState, defaultValue: unknown): JsonValue | undefined {
  switch (method) {
    case "isEnabled":
    case "isEnabledDetail":
      return state.enabled;
    case "getString":
    case "getNumber":
      return state.type === (method === "getString" ? "string" : "number") && state.enabled ? state.value : undefined;
    case "getJson":
      return state.type === "json" && state.enabled ? state.value : undefined;
    default:
      return servedValueFor(state, defaultValue);
  }
}

/** One evaluation as a getter makes it (counted), with its reason: what the hooks are told. */
function evaluate(scope: UserScope, method: EvaluationMethod, key: string, defaultValue: unknown, schema: StandardSchemaV1 | undefined): EvaluationHookDetail {
  const snapshot = scope.store.current;
  const { source, stale } = snapshot;
  const flags = snapshot.flags;
  const position = flags.positions.get(key);
  const state = position === undefined ? undefined : flags.states[position]!;
  let value: unknown = defaultValue;
  let reason: EvaluationReason;
  if (state === undefined) reason = scope.missingReason();
  else {
    countAt(flags.cells, position!);
    if (schema !== undefined) ({ value, reason } = schemaValueDetail(state, schema, defaultValue, scope.missingReason()));
    else {
      const picked = pick(method, state, defaultValue);
      if (picked !== undefined) value = picked;
      // A flag that serves nothing (a typed flag that is off) gives the default for its own reason.
      reason = picked !== undefined || servedValue(state) === undefined ? state.reason : WRONG_TYPE;
    }
  }
  // A flag the scope does not have is an UNKNOWN reason for the getters (as the protocol's own
  // reasons go); to a hook it is also the error it is.
  const errorKind = reason.errorKind ?? (state === undefined && reason.kind === "UNKNOWN" ? "FLAG_NOT_FOUND" : undefined);
  return { value, reason, errorKind, source, stale };
}

/**
 * A getter's evaluation with the client's hooks around it: every `beforeEvaluation` in order,
 * the evaluation (exactly what the getter serves without hooks), every `afterEvaluation` in
 * reverse order. Hooks that throw change nothing (see `EvaluationHooks`).
 *
 * @example
 * if (this.hooks.count !== 0) return evaluateWithHooks(this.scope, this.hooks, "isEnabled", key, defaultValue).value as boolean;
 */
export function evaluateWithHooks(
  scope: UserScope,
  hooks: EvaluationHooks,
  method: EvaluationMethod,
  key: string,
  defaultValue: unknown,
  schema?: StandardSchemaV1,
): EvaluationHookDetail {
  const list = hooks.current();
  // Read-only by type, not frozen: freezing two objects per evaluation cost more than the hooks' calls.
  const context: EvaluationHookContext = { flagKey: key, user: scope.user, defaultValue, method };
  const data = hooks.before(list, context);
  const detail = evaluate(scope, method, key, defaultValue, schema);
  hooks.after(list, context, data, detail);
  return detail;
}
