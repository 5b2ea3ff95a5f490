import type { FlagState } from "../model/flag-state";
import type { EvaluationCounts } from "../transport/delivery-bodies";
import { COUNTER_CELL, CounterCell, type CountedFlagState } from "../snapshot/counter-cell";

/**
 * Distinct flags counted at most: keys only come from flags the server sent (the getters count
 * nothing for a missing flag), so this only guards against a pathological flag set.
 */
export const MAX_COUNTED_FLAGS = 100_000;


/** The counters of one period, taken out of an {@link EvaluationCounter}. */
export interface CountedPeriod {
  readonly evaluations: Readonly<Record<string, EvaluationCounts>>;
  /** Sum of the totals. */
  readonly total: number;
}

/**
 * Evaluation counters per flag and served value (PROTOCOL.md §1.6), on the getters' hot path.
 *
 * `count(key, state)` is one property read and one integer increment when the state carries its
 * flag's counter cell (states decoded from the wire do, see {@link cellFor}), else one `Map.get`
 * (`record`). A flag's cell is created once and reused for the client's life (emptied, not
 * replaced, at each flush), so counting allocates nothing. Memory is bounded by the number of
 * flags ({@link MAX_COUNTED_FLAGS}).
 *
 * What counts as `true` / `false`: the flag's `enabled` state as served, for every getter. For a
 * boolean flag that is its value; for a typed flag (string, number, JSON) `true` means its value
 * was served and `false` that it was off (the caller's default was returned). A getter asking
 * for a flag the server did not send counts nothing.
 *
 * @example
 * const counter = new EvaluationCounter(true);
 * // in a getter, after the snapshot lookup found `state`:
 * counter.record(key, state.enabled);
 */
export class EvaluationCounter {
  private readonly counts = new Map<string, CounterCell>();

  /** @param active `false` (telemetry off, stopped or closed) makes {@link record} a no-op. */
  constructor(private active: boolean) {}

  /**
   * Counts one evaluation of `key`, served from `state`: the getters' hot path (no allocation, no
   * clock, and no map lookup when the state carries its cell).
   */
  count(key: string, state: FlagState): void {
    if (!this.active) return;
    const cell = (state as CountedFlagState)[COUNTER_CELL];
    if (cell === undefined) this.record(key, state.enabled);
    else if (state.enabled) cell.on++;
    else cell.off++;
  }

  /**
   * The counter cell of `key`, for the decoder to attach to the key's states; undefined when
   * counting is off or the flag cap is reached.
   */
  cellFor(key: string): CounterCell | undefined {
    if (!this.active) return undefined;
    const cell = this.counts.get(key);
    if (cell !== undefined) return cell;
    if (this.counts.size >= MAX_COUNTED_FLAGS) return undefined;
    return this.create(key);
  }

  /** Counts one evaluation of `key` that served `enabled`, by key. */
  record(key: string, enabled: boolean): void {
    if (!this.active) return;
    let counts = this.counts.get(key);
    if (counts === undefined) counts = this.create(key);
    if (enabled) counts.on++;
    else counts.off++;
  }

  /** Stops counting for good (telemetry stopped, or the client closed). */
  deactivate(): void {
    this.active = false;
  }

  /** Evaluations counted and not yet taken. */
  pending(): number {
    let total = 0;
    for (const counts of this.counts.values()) total += counts.on + counts.off;
    return total;
  }

  /** The counters now, per flag (flags with no evaluation left out). */
  peek(): Readonly<Record<string, EvaluationCounts>> {
    return this.collect(false).evaluations;
  }

  /**
   * Takes the period's counters out, as the wire body wants them, and empties them (in place).
   * Flags with no evaluation this period are left out.
   */
  take(): CountedPeriod {
    return this.collect(true);
  }

  /** Adds counters back (a period whose send failed), to go out with the next one. */
  restore(period: CountedPeriod): void {
    for (const key of Object.keys(period.evaluations)) {
      const { true: on, false: off } = period.evaluations[key]!;
      const counts = this.counts.get(key) ?? this.create(key);
      counts.on += on;
      counts.off += off;
    }
  }

  private create(key: string): CounterCell {
    const counts = new CounterCell();
    // Past the cap a new flag is counted in a throwaway object (never stored): bounded memory.
    if (this.counts.size < MAX_COUNTED_FLAGS) this.counts.set(key, counts);
    return counts;
  }

  private collect(reset: boolean): CountedPeriod {
    // A null-prototype object: a flag named `__proto__` is an own key like any other.
    const evaluations = Object.create(null) as Record<string, EvaluationCounts>;
    let total = 0;
    for (const [key, counts] of this.counts) {
      const sum = counts.on + counts.off;
      // A flag with no evaluation this period keeps its cell: flag states hold it.
      if (sum === 0) continue;
      evaluations[key] = { total: sum, true: counts.on, false: counts.off };
      total += sum;
      if (reset) {
        counts.on = 0;
        counts.off = 0;
      }
    }
    return { evaluations, total };
  }
}
