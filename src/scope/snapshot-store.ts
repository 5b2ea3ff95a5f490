import { BehaviorSubject, type Observable } from "rxjs";
import { changedKeys } from "../snapshot/changed-keys";
import type { FlagSnapshot } from "../model/flag-snapshot";
import type { FlagState } from "../model/flag-state";
import type { FlagCells, FlagTable } from "../model/flag-table";
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
   * together with the subject, {@link positions} and {@link cells}.
   */
  flags: FlagTable;
  /**
   * `flags.positions` and `flags.cells`, held here for the getters' hot path: the key lookup
   * starts one dependent load sooner, and the cells are read from the store the getter already
   * holds. Measured A/B in one process at 10,000 flags (ratios to `Map.get`): `isEnabled` 1.23x →
   * 1.18x, `getString` 1.35x → 1.29x, `getNumber` 1.35x → 1.27x, a miss 1.17x → 1.12x.
   */
  positions: ReadonlyMap<string, number>;
  cells: FlagCells;

  constructor(
    initial: FlagSnapshot,
    private readonly onChange: (previous: FlagSnapshot, next: FlagSnapshot, changed: ChangedKeys) => void,
    /** Counts what the getters read here: it watches this store until `complete()`. */
    private readonly evaluations?: EvaluationCounter,
  ) {
    this.subject = new BehaviorSubject(initial);
    this.flags = initial.flags;
    this.positions = initial.flags.positions;
    this.cells = initial.flags.cells;
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
    this.positions = next.flags.positions;
    this.cells = next.flags.cells;
    if (previous.flags !== next.flags) this.evaluations?.retire(previous.flags);
    this.subject.next(next);
    if (this.streams.watchedKeys > 0) this.streams.notify(changed(), next);
    this.onChange(previous, next, changed);
    return changed;
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
