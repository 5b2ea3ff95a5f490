import type { JsonValue } from "../model/flag-model";

/** As deep as JSON values go anywhere in rollgate (`isJsonValue`'s limit). */
const MAX_DEPTH = 64;

/** Returned (internally) for anything JSON data cannot hold. */
const INVALID: unique symbol = Symbol("invalid");

/** How much copying is left, in a lower bound of UTF-8 bytes: the walk stops once it runs out. */
interface Budget {
  left: number;
}

/**
 * A private copy of `track()` metadata, made in one pass that reads each property once: a
 * plain object of strings, finite numbers, booleans, null, arrays and plain objects, at most
 * 64 levels deep. `undefined` when it is anything else, or when it is plainly over `maxBytes`
 * (the walk charges each key, string and value its length, a lower bound of its UTF-8 bytes, and
 * stops when that runs out: a cyclic or self-sharing object costs a bounded walk, never an
 * exponential one). The caller measures the copy's exact size.
 *
 * Reading once matters: a getter that answers a plain value and then something else (a BigInt, a
 * function) cannot slip past the check, because what was checked is what is kept. Whatever the
 * caller's object throws while being read (a getter, a Proxy trap, a revoked Proxy) propagates.
 *
 * @example
 * copyMetadata({ currency: "EUR", items: [1, 2] }, 8192); // { currency: "EUR", items: [1, 2] }
 * copyMetadata({ at: new Date() }, 8192); // undefined
 */
export function copyMetadata(value: unknown, maxBytes: number): Record<string, JsonValue> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const copy = copyJson(value, 0, { left: maxBytes });
  return copy === INVALID ? undefined : (copy as Record<string, JsonValue>);
}

function copyJson(value: unknown, depth: number, budget: Budget): JsonValue | typeof INVALID {
  // Every value costs at least one byte (a digit, a quote, a bracket) plus its separator.
  if ((budget.left -= 1) < 0) return INVALID;
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") return (budget.left -= value.length) < 0 ? INVALID : value;
  if (typeof value === "number") return Number.isFinite(value) ? value : INVALID;
  if (typeof value !== "object" || depth >= MAX_DEPTH) return INVALID;
  if (Array.isArray(value)) {
    const length = value.length;
    if (length > budget.left) return INVALID;
    const items = new Array<JsonValue>(length);
    for (let i = 0; i < length; i++) {
      const item = copyJson((value as unknown[])[i], depth + 1, budget);
      if (item === INVALID) return INVALID;
      items[i] = item;
    }
    return items;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return INVALID;
  const keys = Object.keys(value);
  if (keys.length > budget.left) return INVALID;
  const object: Record<string, JsonValue> = {};
  for (const key of keys) {
    if ((budget.left -= key.length + 3) < 0) return INVALID;
    const child = copyJson((value as Record<string, unknown>)[key], depth + 1, budget);
    if (child === INVALID) return INVALID;
    // As data: a "__proto__" key stays a key instead of replacing the copy's prototype.
    Object.defineProperty(object, key, { value: child, enumerable: true, writable: true, configurable: true });
  }
  return object;
}
