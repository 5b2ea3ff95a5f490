import type { JsonValue } from "../model/flag-model";
import type { FlagState, FlagType } from "../model/flag-state";
import { jsonKind } from "./served-value";

/** A flag type as the two bits of a read code. */
const TYPE_BITS: Readonly<Record<FlagType, number>> = { boolean: 0, string: 1, number: 2, json: 3 };
const BOOLEAN = 0;
const STRING = 1;
const NUMBER = 2;
const JSON_TYPE = 3;

/** Gives the counter's base slot of a flag key (its `true` count; `false` is the next slot), or undefined when not counted. */
export type BaseSlotOf = (key: string) => number | undefined;

/**
 * What the plain getters read, built once per flag map: each key's *read code*, a small integer
 * `(position << 3) | (type << 1) | enabled`, in a Map, and by position the served values and the
 * counter slots.
 *
 * Why: a `Map` of flag states makes every getter read a state object, at a random place in
 * memory, after the lookup. At 10,000 flags read at random those objects do not stay in the CPU's
 * caches, and that read (then the counter's, which depends on it) doubled the cost of a bare
 * `Map.get` (issue 22 item 9). A small integer lives in the map's own table: `isEnabled` reads
 * nothing else but one counter, and the typed getters one array slot for the value. Everything
 * else (reasons, hooks, `*Detail`, `flag$`) keeps reading the states.
 *
 * @example
 * const index = new ReadIndex(flags, (key) => counter.baseSlotOf(key));
 * const code = index.codes.get("new-feature"); // undefined: missing
 */
export class ReadIndex {
  readonly codes = new Map<string, number>();
  /** By position: a boolean flag's `enabled`, a typed flag's value. Filled by `push`, so that V8 keeps it packed (no hole checks). */
  readonly values: JsonValue[] = [];
  /** By position: the counter's base slot, or -1 when the flag is not counted. */
  readonly slots: Int32Array;

  constructor(flags: ReadonlyMap<string, FlagState>, baseSlotOf: BaseSlotOf) {
    this.slots = new Int32Array(flags.size);
    let position = 0;
    for (const [key, state] of flags) {
      this.codes.set(key, (position << 3) | (TYPE_BITS[state.type] << 1) | (state.enabled ? 1 : 0));
      this.values.push(state.type === "boolean" ? state.enabled : state.value);
      this.slots[position] = baseSlotOf(key) ?? -1;
      position++;
    }
  }
}

/** Whether the flag of `code` is on (`enabled`). */
export function codeEnabled(code: number): boolean {
  return (code & 1) === 1;
}

/** The string a flag of `code` serves, or undefined (not a string flag, or not served). */
export function codeString(index: ReadIndex, code: number): string | undefined {
  return (code & 7) === ((STRING << 1) | 1) ? (index.values[code >> 3] as string) : undefined;
}

/** The number a flag of `code` serves, or undefined (not a number flag, or not served). */
export function codeNumber(index: ReadIndex, code: number): number | undefined {
  return (code & 7) === ((NUMBER << 1) | 1) ? (index.values[code >> 3] as number) : undefined;
}

/** The object or array a JSON flag of `code` serves, or undefined (not a JSON flag, or not served). */
export function codeJson(index: ReadIndex, code: number): JsonValue | undefined {
  return (code & 7) === ((JSON_TYPE << 1) | 1) ? index.values[code >> 3] : undefined;
}

/**
 * The value a flag of `code` serves if it may stand in for `defaultValue`, else undefined: what
 * `servedValueFor` decides from a state, decided from the code (type and enabled) and, only for
 * an object or array default, from the value's JSON kind.
 */
export function codeValueFor(index: ReadIndex, code: number, defaultValue: unknown): JsonValue | undefined {
  const type = (code >> 1) & 3;
  const enabled = (code & 1) === 1;
  if (defaultValue === undefined || defaultValue === null) return type === BOOLEAN ? enabled : enabled ? index.values[code >> 3] : undefined;
  const kind = typeof defaultValue;
  if (type === BOOLEAN) return kind === "boolean" ? enabled : undefined;
  if (!enabled) return undefined;
  if (kind === "string") return type === STRING ? index.values[code >> 3] : undefined;
  if (kind === "number") return type === NUMBER ? index.values[code >> 3] : undefined;
  if (type !== JSON_TYPE) return undefined;
  const value = index.values[code >> 3]!;
  return jsonKind(value) === jsonKind(defaultValue) ? value : undefined;
}
