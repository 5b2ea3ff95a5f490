import { BehaviorSubject, type Observable } from "rxjs";
import { changedKeys } from "../snapshot/changed-keys";
import type { FlagSnapshot } from "../model/flag-snapshot";
import type { FlagState } from "../model/flag-state";
import type { FlagTable } from "../model/flag-table";
import { FlagStreams } from "../snapshot/flag-streams";
import type { EvaluationCounter } from "../telemetry/evaluation-counter";

/** The keys whose served value changed in one `apply`, computed when first asked for. */
export type ChangedKeys = () => readonly string[];

const NO_CHANGES: ChangedKeys = () => [];

/**
 * The one place flag data lives: a `BehaviorSubject<FlagSnapshot>` that is only ever replaced
 * (never errored, so reading it can never throw), plus the per-key streams it feeds.
 */
export class SnapshotStore {
  private readonly subject: BehaviorSubject<FlagSnapshot>;
  private readonly streams: FlagStreams;
  /** Every snapshot, replayed. Completes on `complete()`. */
  readonly snapshot$: Observable<FlagSnapshot>;
  /**
   * The current snapshot's flags (`current.flags`), kept in a field of its own: one load instead
   * of going through the subject's `value` getter and its checks. Written only by `apply`,
   * together with the subject.
   */
  flags: FlagTable;
  /** Told each new table (see {@link follow}): most stores have one reader, so no array. */
  private follower: ((flags: FlagTable) => void) | undefined;

  constructor(
    initial: FlagSnapshot,
    private readonly onChange: (previous: FlagSnapshot, next: FlagSnapshot, changed: ChangedKeys) => void,
    /** Counts what the getters read here: it watches this store until `complete()`. */
    private readonly evaluations?: EvaluationCounter,
  ) {
    this.subject = new BehaviorSubject(initial);
    this.flags = initial.flags;
    this.snapshot$ = this.subject.asObservable();
    this.streams = new FlagStreams(() => this.subject.value);
    evaluations?.watch(this);
  }

  /** The snapshot being served. */
  get current(): FlagSnapshot {
    return this.subject.value;
  }

  /**
   * Replaces the snapshot, then notifies only the changed keys' subscribers. Returns the keys
   * whose served value changed, as a function computing them on first call: the diff walks every
   * flag, and with no `flag$` subscriber, no event listener and no cache (a per-request user, an
   * identify() nobody observes) nobody asks for it. Ignored after `complete()`.
   */
  apply(next: FlagSnapshot): ChangedKeys {
    if (this.subject.isStopped) return NO_CHANGES;
    const previous = this.subject.value;
    let keys: readonly string[] | undefined;
    const changed: ChangedKeys = () => (keys ??= changedKeys(previous, next));
    this.flags = next.flags;
    this.follower?.(next.flags);
    if (previous.flags !== next.flags) this.evaluations?.retire(previous.flags);
    this.subject.next(next);
    if (this.streams.watchedKeys > 0) this.streams.notify(changed(), next);
    this.onChange(previous, next, changed);
    return changed;
  }

  /**
   * Calls `follower` with the current table now, and with each new one as `apply` installs it
   * (before anyone is notified of the change): how a reader keeps the table's parts its getters
   * read in fields of its own.
   */
  follow(follower: (flags: FlagTable) => void): void {
    const before = this.follower;
    this.follower =
      before === undefined
        ? follower
        : (flags) => {
            before(flags);
            follower(flags);
          };
    follower(this.flags);
  }

  /** Whether `complete()` was called. */
  get isComplete(): boolean {
    return this.subject.isStopped;
  }

  /** How many flag keys have live subscribers (a scope with any is pinned in memory). */
  get watchedKeys(): number {
    return this.streams.watchedKeys;
  }

  watch(key: string): Observable<FlagState | undefined> {
    return this.streams.watch(key);
  }

  /** Completes every stream; `current` keeps answering with the last snapshot. */
  complete(): void {
    this.streams.complete();
    this.subject.complete();
    this.evaluations?.unwatch(this);
  }
}
