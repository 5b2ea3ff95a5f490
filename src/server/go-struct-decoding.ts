import type { JsonValue } from "../model/flag-model";

/**
 * Reading a parsed JSON object the way Go's `encoding/json` fills a struct, so that request
 * bodies are accepted or refused exactly as the reference server does: field names match
 * case-insensitively (the last matching key wins), `null` leaves a field at its zero value,
 * and a value of the wrong JSON type fails the whole decode.
 */

/** A decode failure: the reference server either answers 400 or ignores the input. */
export class GoDecodeError extends Error {
  override readonly name = "GoDecodeError";
}

/** The value of struct field `name` in `object`, matched as Go matches JSON keys to fields. */
export function goField(object: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(object, name)) {
    // The common case: an exact match and no case variants after it.
    let value = object[name];
    let seenExact = false;
    for (const key of Object.keys(object)) {
      if (key === name) seenExact = true;
      else if (seenExact && key.length === name.length && key.toLowerCase() === name.toLowerCase()) value = object[key];
    }
    return value;
  }
  let value: unknown;
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.length === name.length && key.toLowerCase() === lower) value = object[key];
  return value;
}

/** A JSON object decoded into a Go struct: `null` or absent is the zero struct; anything else but an object fails. */
export function goObject(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new GoDecodeError(`json: cannot unmarshal ${goJsonKind(value)} into Go value of type ${what}`);
  return value as Record<string, unknown>;
}

/** A Go `string` field: absent or `null` is "". */
export function goString(value: unknown, field: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") throw new GoDecodeError(`json: cannot unmarshal ${goJsonKind(value)} into Go struct field ${field} of type string`);
  return value;
}

/** A Go `float64` field: absent or `null` is undefined here, so callers can omit it. */
export function goFloat(value: unknown, field: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "number") throw new GoDecodeError(`json: cannot unmarshal ${goJsonKind(value)} into Go struct field ${field} of type float64`);
  return value;
}

/** A Go `int` field: only whole numbers decode; 12.5 fails as it does in Go. */
export function goInt(value: unknown, field: string): number {
  if (value === null || value === undefined) return 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    const kind = typeof value === "number" ? `number ${value}` : goJsonKind(value);
    throw new GoDecodeError(`json: cannot unmarshal ${kind} into Go struct field ${field} of type int`);
  }
  return value;
}

/** A Go `map[string]interface{}` field: absent or `null` is undefined. */
export function goMap(value: unknown, field: string): Readonly<Record<string, JsonValue>> | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new GoDecodeError(`json: cannot unmarshal ${goJsonKind(value)} into Go struct field ${field} of type map[string]interface {}`);
  }
  return value as Record<string, JsonValue>;
}

/** Go's name for a JSON value's kind in decode errors. */
function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  return typeof value;
}
