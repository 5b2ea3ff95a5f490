import type { EvaluationCounts } from "../transport/delivery-bodies";

/**
 * Distinct flags counted at most: keys only come from flags the server sent (the getters count
 * nothing for a missing flag), so this only guards against a pathological flag set.
 */
export const MAX_COUNTED_FLAGS = 100_000;

/** One flag's counters, incremented in place: no allocation after the first evaluation of a key. */
class FlagCounts {
  on = 0;
  off = 0;
}

/** The counters of one period, taken out of an {@link EvaluationCounter}. */
export interface CountedPeriod {
  readonly evaluations: Readonly<Record<string, EvaluationCounts>>;
  /** Sum of the totals. */
  readonly total: number;
}

/**
 * Evaluation counters per flag and served value (PROTOCOL.md §1.6), on the getters' hot path.
 *
 * `record(key, enabled)` is one `Map.get` and one integer increment: a flag's counter object is
 * created on its first evaluation and reused for the client's life (emptied, not replaced, at
 * each flush), so counting allocates nothing in the steady state. Memory is bounded by the
 * number of flags: a flag not evaluated during a whole period is forgotten at the next
 * {@link take}.
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
  private readonly counts = new Map<string, FlagCounts>();

  /** @param active `false` (telemetry off, stopped or closed) makes {@link record} a no-op. */
  constructor(private active: boolean) {}

  /** Counts one evaluation of `key` that served `enabled`. The hot path: no allocation, no clock. */
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
   * Flags with no evaluation this period are forgotten.
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

  private create(key: string): FlagCounts {
    const counts = new FlagCounts();
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
      if (sum === 0) {
        if (reset) this.counts.delete(key);
        continue;
      }
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
