import type { FlagSnapshot } from "../model/flag-snapshot";
import { servedValue } from "../snapshot/served-value";
import type { EventHub } from "./event-hub";
import type { ChangedKeys } from "../scope/snapshot-store";

/**
 * The events of one applied snapshot of the default user: `flag-changed` per changed key, then
 * `flags-updated` when the flag map itself was replaced. Nothing is built (not even the list of
 * changed keys) when nobody listens.
 */
export function emitSnapshotEvents(hub: EventHub, previous: FlagSnapshot, next: FlagSnapshot, changed: ChangedKeys): void {
  if (!hub.observed) return;
  const keys = changed();
  for (const key of keys) {
    hub.emit({ type: "flag-changed", key, value: servedValue(next.flags.get(key)), previousValue: servedValue(previous.flags.get(key)) });
  }
  if (next.flags !== previous.flags) hub.emit({ type: "flags-updated", source: next.source, changedKeys: keys });
}
