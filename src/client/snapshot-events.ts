import type { FlagSnapshot } from "../snapshot/flag-snapshot";
import { servedValue } from "../snapshot/served-value";
import type { EventHub } from "./event-hub";

/**
 * The events of one applied snapshot of the default user: `flag-changed` per changed key (built
 * only when someone listens), then `flags-updated` when the flag map itself was replaced.
 */
export function emitSnapshotEvents(hub: EventHub, previous: FlagSnapshot, next: FlagSnapshot, changed: readonly string[]): void {
  if (changed.length > 0 && hub.observed) {
    for (const key of changed) {
      hub.emit({ type: "flag-changed", key, value: servedValue(next.flags.get(key)), previousValue: servedValue(previous.flags.get(key)) });
    }
  }
  if (next.flags !== previous.flags) hub.emit({ type: "flags-updated", source: next.source, changedKeys: changed });
}
