import type { EvaluationReason } from "../model/evaluation-reason";
import type { FlagState } from "../model/flag-state";
import { servedValue } from "./served-value";
import type { SchemaOutput, StandardSchemaV1, StandardSchemaV1Result } from "./standard-schema";

/** A served value that passed the schema (its output), or why it did not. */
type Checked = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: EvaluationReason };

const WRONG_TYPE: Checked = Object.freeze({ ok: false, reason: Object.freeze({ kind: "ERROR", errorKind: "WRONG_TYPE" }) });
/** The validator threw, or answered asynchronously: the value could not be checked. */
const EXCEPTION: Checked = Object.freeze({ ok: false, reason: Object.freeze({ kind: "ERROR", errorKind: "EXCEPTION" }) });

/**
 * Results per flag state, then per schema. A `FlagState` object is replaced whenever its flag is
 * fetched again, so each schema runs once per flag state and never on a repeated read; both
 * levels are weak, so neither old snapshots nor schemas are kept alive.
 */
const results = new WeakMap<FlagState, WeakMap<StandardSchemaV1, Checked>>();

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  // Only plain data: a transform's class instances (Date, Map) are the schema's business.
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}

function validate(value: unknown, schema: StandardSchemaV1): Checked {
  let result: StandardSchemaV1Result<unknown> | Promise<StandardSchemaV1Result<unknown>>;
  try {
    result = schema["~standard"].validate(value);
  } catch {
    return EXCEPTION;
  }
  if (result instanceof Promise) {
    // A getter is synchronous; an async schema (an async refine, say) cannot serve it.
    result.catch(() => undefined);
    return EXCEPTION;
  }
  if (result.issues !== undefined) return WRONG_TYPE;
  // The output is shared by every later read of this flag state, as flag values are: frozen.
  deepFreeze(result.value);
  return Object.freeze({ ok: true, value: result.value });
}

function check(state: FlagState, served: unknown, schema: StandardSchemaV1): Checked {
  let bySchema = results.get(state);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    results.set(state, bySchema);
  }
  let checked = bySchema.get(schema);
  if (checked === undefined) {
    checked = validate(served, schema);
    bySchema.set(schema, checked);
  }
  return checked;
}

/**
 * The value a flag serves, checked by a schema (zod, or any Standard Schema v1 validator with a
 * synchronous `validate`): the schema's output when the value passes, else `defaultValue`.
 * Each flag state is validated once per schema; later reads are two `WeakMap` lookups.
 *
 * @example
 * const limits = z.object({ enabled: z.boolean(), limit: z.number() });
 * schemaValue(snapshot.flags.get("rate-limit-config"), limits, { enabled: false, limit: 100 });
 */
export function schemaValue<S extends StandardSchemaV1>(state: FlagState | undefined, schema: S, defaultValue: SchemaOutput<S>): SchemaOutput<S> {
  const served = servedValue(state);
  if (served === undefined) return defaultValue;
  const checked = check(state!, served, schema);
  return checked.ok ? (checked.value as SchemaOutput<S>) : defaultValue;
}

/**
 * {@link schemaValue} with the reason: the flag's own reason when its value passed (or when it
 * serves nothing), `missingReason` when the flag is unknown, `{ kind: "ERROR", errorKind:
 * "WRONG_TYPE" }` when the value failed the schema, and `errorKind: "EXCEPTION"` when the schema
 * threw or answered asynchronously.
 *
 * @example
 * const { value, reason } = schemaValueDetail(state, limits, { enabled: false, limit: 100 }, UNKNOWN_FLAG);
 */
export function schemaValueDetail<S extends StandardSchemaV1>(
  state: FlagState | undefined,
  schema: S,
  defaultValue: SchemaOutput<S>,
  missingReason: EvaluationReason,
): { readonly value: SchemaOutput<S>; readonly reason: EvaluationReason } {
  if (state === undefined) return { value: defaultValue, reason: missingReason };
  const served = servedValue(state);
  if (served === undefined) return { value: defaultValue, reason: state.reason };
  const checked = check(state, served, schema);
  return checked.ok ? { value: checked.value as SchemaOutput<S>, reason: state.reason } : { value: defaultValue, reason: checked.reason };
}
