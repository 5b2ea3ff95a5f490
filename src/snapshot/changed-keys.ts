import type { FlagSnapshot } from "./flag-snapshot";
import { jsonEqual } from "./json-equal";
import { servedValue } from "./served-value";

/**
 * The keys whose served value differs between two snapshots: added, removed or changed (deep
 * equality for JSON). One pass over both maps; nothing when the flag map itself is unchanged.
 */
export function changedKeys(previous: FlagSnapshot, next: FlagSnapshot): string[] {
  const before = previous.flags;
  const after = next.flags;
  if (before === after) return [];
  const changed: string[] = [];
  for (const [key, state] of after) {
    if (!jsonEqual(servedValue(before.get(key)), servedValue(state))) changed.push(key);
  }
  for (const key of before.keys()) {
    if (!after.has(key) && servedValue(before.get(key)) !== undefined) changed.push(key);
  }
  return changed;
}
