import type { FlagSnapshot } from "../model/flag-snapshot";
import { servedAt } from "../model/flag-cells";
import { jsonEqual } from "./json-equal";
import { servedValue } from "./served-value";

/**
 * The keys whose served value differs between two snapshots: added, removed or changed (deep
 * equality for JSON). One pass over both tables (by position when they share their keys); nothing
 * when the flag table itself is unchanged.
 */
export function changedKeys(previous: FlagSnapshot, next: FlagSnapshot): string[] {
  const before = previous.flags;
  const after = next.flags;
  if (before === after) return [];
  const changed: string[] = [];
  if (before.order === after.order) {
    // The same keys in the same order (a poll, most often): compare position by position.
    const keys = after.order.list;
    for (let position = 0; position < keys.length; position++) {
      if (before.states[position] !== after.states[position] && !jsonEqual(servedAt(before.cells, position), servedAt(after.cells, position))) changed.push(keys[position]!);
    }
    return changed;
  }
  let shared = 0;
  for (const [key, state] of after) {
    const prior = before.get(key);
    if (prior !== undefined) shared++;
    // Decoding reuses the state objects of unchanged flags, so most keys stop at `===`.
    if (prior !== state && !jsonEqual(servedValue(prior), servedValue(state))) changed.push(key);
  }
  // Every key of `before` was seen in `after`: none was removed.
  if (shared === before.size) return changed;
  for (const key of before.keys()) {
    if (!after.has(key) && servedValue(before.get(key)) !== undefined) changed.push(key);
  }
  return changed;
}
