import type { JsonValue } from "../model/flag-model";
import type { FlagState } from "../model/flag-state";
import { servedValue } from "./served-value";

const MEMO = new WeakMap<ReadonlyMap<string, FlagState>, Readonly<Record<string, JsonValue>>>();

/**
 * Every flag's served value as a frozen plain object (`false` for a typed flag that serves
 * nothing), built once per flag map and shared until the flags change.
 */
export function allFlags(flags: ReadonlyMap<string, FlagState>): Readonly<Record<string, JsonValue>> {
  let record = MEMO.get(flags);
  if (record === undefined) {
    // fromEntries defines own properties, so a flag named "__proto__" stays data.
    record = Object.freeze(Object.fromEntries(Array.from(flags, ([key, state]) => [key, servedValue(state) ?? false])));
    MEMO.set(flags, record);
  }
  return record;
}
