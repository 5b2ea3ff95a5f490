import { BehaviorSubject, defer, finalize, of, type Observable } from "rxjs";
import type { FlagSnapshot } from "../model/flag-snapshot";
import type { FlagState } from "../model/flag-state";

interface KeyStream {
  readonly subject: BehaviorSubject<FlagState | undefined>;
  subscribers: number;
}

/**
 * One subject per watched flag key, created on first subscription and dropped with the last, so a
 * change notifies only the subscribers of the keys that changed: the cost of an update is
 * O(changed keys + their subscribers), whatever is watching other flags.
 */
export class FlagStreams {
  private readonly streams = new Map<string, KeyStream>();
  private completed = false;

  constructor(private readonly current: () => FlagSnapshot) {}

  /** The state of `key` now, then each time it changes. Completes when `complete()` is called. */
  watch(key: string): Observable<FlagState | undefined> {
    return defer(() => {
      // After close: the last state, then completion (a completed subject would emit nothing).
      if (this.completed) return of(this.current().flags.get(key));
      let stream = this.streams.get(key);
      if (stream === undefined) {
        stream = { subject: new BehaviorSubject(this.current().flags.get(key)), subscribers: 0 };
        this.streams.set(key, stream);
      }
      const entry = stream;
      entry.subscribers++;
      return entry.subject.pipe(
        finalize(() => {
          entry.subscribers--;
          if (entry.subscribers === 0 && this.streams.get(key) === entry) this.streams.delete(key);
        }),
      );
    });
  }

  /** Pushes the new state of each changed key to that key's subscribers only. */
  notify(keys: readonly string[], next: FlagSnapshot): void {
    if (this.streams.size === 0) return;
    for (const key of keys) this.streams.get(key)?.subject.next(next.flags.get(key));
  }

  /** Completes every stream, now and for later subscribers. */
  complete(): void {
    this.completed = true;
    for (const stream of this.streams.values()) stream.subject.complete();
    this.streams.clear();
  }

  /** How many keys are watched (for tests and diagnostics). */
  get watchedKeys(): number {
    return this.streams.size;
  }
}
