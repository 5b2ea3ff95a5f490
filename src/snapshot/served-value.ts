import type { JsonValue } from "../model/flag-model";
import type { FlagState } from "../model/flag-state";

/**
 * The value a flag serves, or `undefined` when it serves nothing and the caller's default
 * applies: a missing flag, or a typed flag that is not enabled (PROTOCOL.md §4.1: for v2,
 * `enabled: false` means "not served"; its wire value is a bare `false`). A boolean flag always
 * serves its boolean.
 */
export function servedValue(state: FlagState | undefined): JsonValue | undefined {
  if (state === undefined) return undefined;
  if (state.type === "boolean") return state.enabled;
  return state.enabled ? state.value : undefined;
}

/** The JSON kind of a value, telling arrays and null apart from objects. */
export type JsonKind = "string" | "number" | "boolean" | "object" | "array" | "null" | "undefined";

export function jsonKind(value: unknown): JsonKind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const kind = typeof value;
  return kind === "string" || kind === "number" || kind === "boolean" || kind === "object" ? kind : "undefined";
}

/**
 * Whether a served value may stand in for a caller's default: same JSON kind, or any value when
 * the default is `undefined` or `null` (no type to check against).
 */
export function matchesDefaultKind(value: JsonValue, defaultValue: unknown): boolean {
  if (defaultValue === undefined || defaultValue === null) return true;
  // The common defaults (a string, a number, a boolean) need no array/null distinction.
  const kind = typeof defaultValue;
  if (kind === "string" || kind === "number" || kind === "boolean") return typeof value === kind;
  return jsonKind(value) === jsonKind(defaultValue);
}
