import * as z from "zod/mini";
import type { JsonValue } from "../model/flag-model";

const MAX_DEPTH = 64;

/**
 * Whether `value` is JSON data: strings, finite numbers, booleans, null, arrays and plain objects
 * of those, at most 64 levels deep. Own keys are checked as data, so a `__proto__` key parsed
 * from JSON is kept, not lost to the prototype setter.
 */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key of Object.keys(value)) {
    if (!isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * Any JSON value: what flag values and user attributes may hold. Validated in place (the value
 * is not copied), so callers that need a private copy make one.
 */
export const jsonValueSchema = z.custom<JsonValue>((value) => isJsonValue(value), "expected a JSON value (string, finite number, boolean, null, array or plain object)");

/** An object of JSON values, validated in place. */
export const jsonObjectSchema = z.custom<Readonly<Record<string, JsonValue>>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value) && isJsonValue(value),
  "expected an object of JSON values",
);
