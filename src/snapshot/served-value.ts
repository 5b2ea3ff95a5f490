import type { JsonValue } from "../model/flag-model";
import type { FlagState } from "../model/flag-state";
import { servedAt, type FlagCells } from "../model/flag-cells";
import { FlagCode } from "../model/flag-table";

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

/**
 * The value `state` serves if it may stand in for `defaultValue` (what `servedValue` and
 * `matchesDefaultKind` decide together), else `undefined`. Decided from the state's `type` for
 * primitive defaults, without reading the value (a state's value always has its type's JSON
 * kind): on the getters' hot path, where each memory access counts.
 */
export function servedValueFor(state: FlagState, defaultValue: unknown): JsonValue | undefined {
  const type = state.type;
  if (defaultValue === undefined || defaultValue === null) return type === "boolean" ? state.enabled : state.enabled ? state.value : undefined;
  const kind = typeof defaultValue;
  if (type === "boolean") return kind === "boolean" ? state.enabled : undefined;
  if (!state.enabled) return undefined;
  if (kind === "string" || kind === "number") return type === kind ? state.value : undefined;
  return type === "json" && jsonKind(state.value) === jsonKind(defaultValue) ? state.value : undefined;
}

/**
 * What `getValue` serves for the flag at `position` in a table's `cells`: {@link servedValueFor}'s
 * value, or `defaultValue` where that is `undefined`. The caller has read the flag's code
 * (`countAt` returns it). Decided from the code and the served value alone, and the default
 * returned from here rather than checked for again by the caller: on the getters' hot path, where
 * each memory access and each branch counts.
 */
export function servedValueOr(cells: FlagCells, position: number, code: number, defaultValue: unknown): unknown {
  if (defaultValue === undefined || defaultValue === null) {
    const served = servedAt(cells, position);
    return served === undefined ? defaultValue : served;
  }
  const kind = typeof defaultValue;
  // Boolean flags have codes 0 and 1 (see FlagCode).
  if (kind === "boolean") return code < 2 ? servedAt(cells, position) : defaultValue;
  if (kind === "string") return code === FlagCode.ServedString ? servedAt(cells, position) : defaultValue;
  if (kind === "number") return code === FlagCode.ServedNumber ? servedAt(cells, position) : defaultValue;
  if (code !== FlagCode.ServedJson) return defaultValue;
  const served = servedAt(cells, position);
  return jsonKind(served) === jsonKind(defaultValue) ? served : defaultValue;
}
