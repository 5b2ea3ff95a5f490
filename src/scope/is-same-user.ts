import type { JsonValue } from "../model/flag-model";
import type { RollgateUser } from "../model/rollgate-user";

/**
 * Whether `input` is a user `validateUser` accepts (the size limit aside) whose scope key is
 * `known`'s, `known` being a user `validateUser` returned: the cached-user lookup of `forUser`
 * without building the key (`userKey`, a JSON string per request) or walking the user twice.
 *
 * One walk that follows `known` and compares with `===`: a primitive equal to one of `known`'s is
 * a string, a finite number, a boolean or null, so `input` passes `isAcceptedUser` wherever it
 * matches; and JSON (the key) tells apart any two such values but 0 and -0, which `===` does not
 * either. Objects must be plain (as `isJsonValue` asks) with the same own keys in the same order,
 * arrays the same length; the walk is bounded by `known`'s depth, so cycles and deep nesting end.
 * `false` says nothing: the caller then takes the slow path (`isAcceptedUser` + `userKey`), so a
 * `Date`, `NaN`, a sparse array or a `Proxy` gets exactly the answer it gets there. May throw what
 * the input's getters or `Proxy` traps throw.
 *
 * @example
 * isSameUser({ id: "u1", attributes: { plan: "pro" } }, known); // true when known is that user
 * isSameUser({ id: "u1", attributes: { score: Number.NaN } }, known); // false: the slow path refuses it
 */
export function isSameUser(input: unknown, known: RollgateUser): boolean {
  if (input === known) return true; // the view's own frozen copy, given back
  if (typeof input !== "object" || input === null || Array.isArray(input)) return false;
  const { id, email, attributes } = input as Record<string, unknown>;
  if (id !== known.id || email !== known.email) return false;
  if (known.attributes === undefined) return attributes === undefined;
  return typeof attributes === "object" && attributes !== null && isSameJson(attributes, known.attributes);
}

function isSameJson(input: unknown, known: JsonValue | undefined): boolean {
  // `undefined` in `known` is a hole of a sparse array: left to the slow path.
  if (typeof known !== "object" || known === null) return known !== undefined && input === known;
  if (typeof input !== "object" || input === null) return false;
  if (Array.isArray(known)) {
    if (!Array.isArray(input) || input.length !== known.length) return false;
    for (let i = 0; i < known.length; i++) if (!isSameJson(input[i], known[i])) return false;
    return true;
  }
  if (Array.isArray(input)) return false;
  const prototype: unknown = Object.getPrototypeOf(input);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const keys = Object.keys(input);
  const knownKeys = Object.keys(known);
  if (keys.length !== knownKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key !== knownKeys[i] || !isSameJson((input as Record<string, unknown>)[key], known[key])) return false;
  }
  return true;
}
