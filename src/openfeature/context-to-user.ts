import { InvalidContextError, TargetingKeyMissingError, type EvaluationContext } from "@openfeature/server-sdk";
import type { JsonValue, RollgateUser } from "rollgate";

/**
 * As deep as rollgate accepts user attributes (its JSON schema's limit, counting the `attributes`
 * object as the first level): an object or array at this depth is one level too deep.
 */
const MAX_DEPTH = 64;

/** What {@link toJson} returns for a value nested deeper than {@link MAX_DEPTH}: its whole attribute is dropped. */
const TOO_DEEP: unique symbol = Symbol("too deep");

/**
 * The rollgate user an OpenFeature evaluation context stands for:
 *
 * - `targetingKey` → the user's `id` (rollouts bucket on it);
 * - `email` → `email` (a string; `null`/`undefined` mean none);
 * - every other attribute → `attributes`, as JSON: a `Date` becomes its ISO-8601 string;
 *   `undefined`, functions, symbols, bigints, non-finite numbers, invalid dates and cyclic
 *   references are dropped (also inside objects and arrays); an attribute nested deeper than
 *   rollgate accepts (64 levels, the `attributes` object being the first) is dropped whole, so
 *   that the rest of the context still evaluates;
 * - a context with nothing in it (after dropping) and no `targetingKey` property at all →
 *   `undefined`: evaluate for the client's own default user (`options.user`, `identify()`), with
 *   the client-wide getters.
 *
 * A context that has attributes but no `targetingKey` cannot be evaluated: rollgate evaluates
 * per user id, and serving the default user's flags would apply another user's targeting to
 * these attributes. Nor can a context whose `targetingKey` is there but empty (`""`, `null`,
 * `undefined`, as `{ targetingKey: req.user?.id }` gives for a request with no user): that is a
 * request for someone with no id, never for the default user. Both are refused with
 * `TARGETING_KEY_MISSING` (the OpenFeature spec's code for "the provider requires a targeting key
 * and one was not provided"; go-feature-flag's provider treats `""`, `null` and `undefined` the
 * same way), and OpenFeature returns the caller's default. An anonymous evaluation is not offered:
 * rollouts bucket on the id, so every id-less request would land in the same bucket.
 *
 * @throws TargetingKeyMissingError for attributes without a targeting key, or an empty one.
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
  let emptyKey = false;
  for (const key of Object.keys(context)) {
    const raw: unknown = context[key];
    if (key === "targetingKey") {
      if (raw === undefined || raw === null || raw === "") {
        emptyKey = true;
        continue;
      }
      if (typeof raw !== "string") throw new InvalidContextError(`The evaluation context's targetingKey must be a string (the user id), got ${typeof raw}.`);
      id = raw;
    } else if (key === "email") {
      if (raw === undefined || raw === null) continue;
      if (typeof raw !== "string") throw new InvalidContextError(`The evaluation context's email must be a string, got ${typeof raw}.`);
      email = raw;
    } else {
      const value = toJson(raw, 1, []);
      if (value === undefined || value === TOO_DEEP) continue;
      attributes ??= {};
      defineData(attributes, key, value);
    }
  }
  if (id === undefined) {
    if (emptyKey) {
      throw new TargetingKeyMissingError(
        "The evaluation context's targetingKey is empty: rollgate evaluates per user id, and an empty one never means the client's default user. Set targetingKey to the user's id, or leave it out entirely (no targetingKey property) to evaluate for the default user.",
      );
    }
    if (email === undefined && attributes === undefined) return undefined;
    throw new TargetingKeyMissingError(
      "The evaluation context has attributes but no targetingKey: rollgate evaluates per user id. Set targetingKey to the user's id (or evaluate with an empty context for the client's default user).",
    );
  }
  if (email === undefined) return attributes === undefined ? { id } : { id, attributes };
  return attributes === undefined ? { id, email } : { id, email, attributes };
}

/**
 * `value` as JSON, `undefined` when JSON cannot carry it, or {@link TOO_DEEP} when it holds an
 * object or array nested deeper than rollgate accepts. `ancestors` guards against cycles.
 */
function toJson(value: unknown, depth: number, ancestors: object[]): JsonValue | undefined | typeof TOO_DEEP {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "object" || ancestors.includes(value)) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      const items: JsonValue[] = [];
      for (const item of value as unknown[]) {
        const converted = toJson(item, depth + 1, ancestors);
        if (converted === TOO_DEEP) return TOO_DEEP;
        if (converted !== undefined) items.push(converted);
      }
      return items;
    }
    const object: Record<string, JsonValue> = {};
    for (const key of Object.keys(value)) {
      const converted = toJson((value as Record<string, unknown>)[key], depth + 1, ancestors);
      if (converted === TOO_DEEP) return TOO_DEEP;
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
