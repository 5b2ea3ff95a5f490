import { InvalidContextError, TargetingKeyMissingError, type EvaluationContext } from "@openfeature/server-sdk";
import type { JsonValue, RollgateUser } from "rollgate";

/** As deep as rollgate accepts user attributes (its JSON schema's limit). */
const MAX_DEPTH = 64;

/**
 * The rollgate user an OpenFeature evaluation context stands for:
 *
 * - `targetingKey` → the user's `id` (rollouts bucket on it);
 * - `email` → `email` (a string; `null`/`undefined` mean none);
 * - every other attribute → `attributes`, as JSON: a `Date` becomes its ISO-8601 string;
 *   `undefined`, functions, symbols, bigints, non-finite numbers, invalid dates and cyclic
 *   references are dropped (also inside objects and arrays); nesting deeper than 64 levels is
 *   dropped;
 * - a context with nothing in it (after dropping) → `undefined`: evaluate for the client's own
 *   default user (`options.user`, `identify()`), with the client-wide getters.
 *
 * A context that has attributes but no `targetingKey` cannot be evaluated: rollgate evaluates
 * per user id, and serving the default user's flags would apply another user's targeting to
 * these attributes. It is refused with `TARGETING_KEY_MISSING` (the OpenFeature spec's code for
 * "the provider requires a targeting key"), and OpenFeature returns the caller's default.
 *
 * @throws TargetingKeyMissingError for attributes without a targeting key.
 * @throws InvalidContextError when `targetingKey` or `email` is not a string.
 *
 * @example
 * contextToUser({ targetingKey: "user-1", email: "ana@example.com", plan: "pro", signedUp: new Date(0) });
 * // { id: "user-1", email: "ana@example.com", attributes: { plan: "pro", signedUp: "1970-01-01T00:00:00.000Z" } }
 */
export function contextToUser(context: EvaluationContext): RollgateUser | undefined {
  let id: string | undefined;
  let email: string | undefined;
  let attributes: Record<string, JsonValue> | undefined;
  for (const key of Object.keys(context)) {
    const raw: unknown = context[key];
    if (key === "targetingKey") {
      if (raw === undefined || raw === null || raw === "") continue;
      if (typeof raw !== "string") throw new InvalidContextError(`The evaluation context's targetingKey must be a string (the user id), got ${typeof raw}.`);
      id = raw;
    } else if (key === "email") {
      if (raw === undefined || raw === null) continue;
      if (typeof raw !== "string") throw new InvalidContextError(`The evaluation context's email must be a string, got ${typeof raw}.`);
      email = raw;
    } else {
      const value = toJson(raw, 1, []);
      if (value === undefined) continue;
      attributes ??= {};
      defineData(attributes, key, value);
    }
  }
  if (id === undefined) {
    if (email === undefined && attributes === undefined) return undefined;
    throw new TargetingKeyMissingError(
      "The evaluation context has attributes but no targetingKey: rollgate evaluates per user id. Set targetingKey to the user's id (or evaluate with an empty context for the client's default user).",
    );
  }
  if (email === undefined) return attributes === undefined ? { id } : { id, attributes };
  return attributes === undefined ? { id, email } : { id, email, attributes };
}

/** `value` as JSON, or `undefined` when JSON cannot carry it. `ancestors` guards against cycles. */
function toJson(value: unknown, depth: number, ancestors: object[]): JsonValue | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "object" || depth > MAX_DEPTH || ancestors.includes(value)) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      const items: JsonValue[] = [];
      for (const item of value as unknown[]) {
        const converted = toJson(item, depth + 1, ancestors);
        if (converted !== undefined) items.push(converted);
      }
      return items;
    }
    const object: Record<string, JsonValue> = {};
    for (const key of Object.keys(value)) {
      const converted = toJson((value as Record<string, unknown>)[key], depth + 1, ancestors);
      if (converted !== undefined) defineData(object, key, converted);
    }
    return object;
  } finally {
    ancestors.pop();
  }
}

/** Sets `object[key]` as data: a "__proto__" key stays an attribute instead of replacing the prototype. */
function defineData(object: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
