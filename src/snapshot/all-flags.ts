import type { JsonValue } from "../model/flag-model";
import type { FlagTable } from "../model/flag-table";
import { servedAt } from "../model/flag-cells";

const MEMO = new WeakMap<FlagTable, Readonly<Record<string, JsonValue>>>();

/**
 * Every flag's served value as a frozen plain object (`false` for a typed flag that serves
 * nothing), built once per flag table and shared until the flags change.
 */
export function allFlags(flags: FlagTable): Readonly<Record<string, JsonValue>> {
  let record = MEMO.get(flags);
  if (record === undefined) {
    const { list } = flags.order;
    // fromEntries defines own properties, so a flag named "__proto__" stays data.
    record = Object.freeze(Object.fromEntries(list.map((key, position) => [key, servedAt(flags.cells, position) ?? false])));
    MEMO.set(flags, record);
  }
  return record;
}
