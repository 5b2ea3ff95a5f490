import type { FlagState } from "../model/flag-state";
import type { EvaluationCounts } from "../transport/delivery-bodies";
import { COUNTER_HITS, COUNTER_SLOT, type CountedFlagState } from "../snapshot/counter-slot";

/**
 * Distinct flags counted at most: keys only come from flags the server sent (the getters count
 * nothing for a missing flag), so this only guards against a pathological flag set.
 */
export const MAX_COUNTED_FLAGS = 100_000;

/**
 * States counted since the last gathering, at most: past it the hits are gathered at once (a
 * pass over the list, so amortised O(1) per state), so that states replaced by newer flags are not
 * kept alive by the list for a whole period.
 */
const MAX_TOUCHED = 16_384;

/** Flags the tally has room for at first; it doubles as flags are seen. */
const INITIAL_FLAGS = 64;

/** The counters of one period, taken out of an {@link EvaluationCounter}. */
export interface CountedPeriod {
  readonly evaluations: Readonly<Record<string, EvaluationCounts>>;
  /** Sum of the totals. */
  readonly total: number;
}

/**
 * Evaluation counters per flag and served value (PROTOCOL.md §1.6), on the getters' hot path.
 *
 * The period's counts live in one dense `Uint32Array` (the tally), two slots per flag: `2i`
 * counts `true`, `2i + 1` counts `false`. A flag state decoded from the wire carries its slot
 * (see {@link slotFor}) and a hits field: `count(key, state)` increments the hits of the state
 * the getter already holds, in the cache line it just read, so counting touches no second place
 * in memory (at 10,000 flags read at random, a tally write was a cache miss of its own). A state's
 * first hit since the last gathering puts it on a list; gathering (at each read of the counts,
 * or once the list is long) adds each listed state's hits to its slot and sets them back to 0.
 * States without a slot (from the cache, from test data) are counted by key ({@link record}). A
 * flag's slots are kept for the client's life (emptied at each flush), so states keep counting
 * across periods. Memory is bounded by the number of flags ({@link MAX_COUNTED_FLAGS}) and the
 * list by {@link MAX_TOUCHED}. A slot counts up to 2^32 - 1 evaluations per period (at 10 ns per
 * evaluation that is 40 s of nothing else; periods are shorter).
 *
 * What counts as `true` / `false`: the flag's `enabled` state as served, for every getter. For a
 * boolean flag that is its value; for a typed flag (string, number, JSON) `true` means its value
 * was served and `false` that it was off (the caller's default was returned). A getter asking
 * for a flag the server did not send counts nothing.
 *
 * @example
 * const counter = new EvaluationCounter(true);
 * // in a getter, after the snapshot lookup found `state`:
 * counter.count(key, state);
 */
export class EvaluationCounter {
  /** Each counted flag's index (its slots are `2i` and `2i + 1`), in first-seen order. */
  private readonly indexes = new Map<string, number>();
  private tally = new Uint32Array(2 * INITIAL_FLAGS);
  /** The states with hits not yet gathered into the tally. */
  private touched: CountedFlagState[] = [];

  /** @param active `false` (telemetry off, stopped or closed) makes counting a no-op. */
  constructor(private active: boolean) {}

  /**
   * Counts one evaluation of `key`, served from `state`: the getters' hot path (no allocation, no
   * clock, and no map lookup when the state carries its slot).
   */
  count(key: string, state: FlagState): void {
    if (!this.active) return;
    const counted = state as CountedFlagState;
    const hits = counted[COUNTER_HITS];
    if (hits === undefined) {
      this.record(key, state.enabled);
      return;
    }
    counted[COUNTER_HITS] = hits + 1;
    if (hits === 0 && this.touched.push(counted) >= MAX_TOUCHED) this.gather();
  }

  /**
   * The slot of `key` for a state serving `enabled`, for the decoder to attach to the state;
   * undefined when counting is off or the flag cap is reached.
   */
  slotFor(key: string, enabled: boolean): number | undefined {
    if (!this.active) return undefined;
    const index = this.indexes.get(key) ?? this.create(key);
    return index === undefined ? undefined : 2 * index + (enabled ? 0 : 1);
  }

  /** Counts one evaluation of `key` that served `enabled`, by key. */
  record(key: string, enabled: boolean): void {
    const slot = this.slotFor(key, enabled);
    if (slot !== undefined) this.tally[slot]++;
  }

  /** Stops counting for good (telemetry stopped, or the client closed). */
  deactivate(): void {
    this.gather();
    this.active = false;
  }

  /** Evaluations counted and not yet taken. */
  pending(): number {
    this.gather();
    let total = 0;
    const tally = this.tally;
    for (let slot = 0; slot < 2 * this.indexes.size; slot++) total += tally[slot]!;
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
      const index = this.indexes.get(key) ?? this.create(key);
      if (index === undefined) continue;
      this.tally[2 * index] += on;
      this.tally[2 * index + 1] += off;
    }
  }

  /** A new flag's index, growing the tally when full; undefined past the cap (not counted: bounded memory). */
  private create(key: string): number | undefined {
    const index = this.indexes.size;
    if (index >= MAX_COUNTED_FLAGS) return undefined;
    if (2 * index >= this.tally.length) {
      const grown = new Uint32Array(Math.min(2 * this.tally.length, 2 * MAX_COUNTED_FLAGS));
      grown.set(this.tally);
      this.tally = grown;
    }
    this.indexes.set(key, index);
    return index;
  }

  /** Adds the listed states' hits to their slots and sets them back to 0. */
  private gather(): void {
    const touched = this.touched;
    if (touched.length === 0) return;
    const tally = this.tally;
    for (const state of touched) {
      tally[state[COUNTER_SLOT]!] += state[COUNTER_HITS]!;
      state[COUNTER_HITS] = 0;
    }
    touched.length = 0;
  }

  private collect(reset: boolean): CountedPeriod {
    this.gather();
    // A null-prototype object: a flag named `__proto__` is an own key like any other.
    const evaluations = Object.create(null) as Record<string, EvaluationCounts>;
    const tally = this.tally;
    let total = 0;
    for (const [key, index] of this.indexes) {
      const on = tally[2 * index]!;
      const off = tally[2 * index + 1]!;
      const sum = on + off;
      // A flag with no evaluation this period keeps its slots: flag states hold them.
      if (sum === 0) continue;
      evaluations[key] = { total: sum, true: on, false: off };
      total += sum;
      if (reset) {
        tally[2 * index] = 0;
        tally[2 * index + 1] = 0;
      }
    }
    return { evaluations, total };
  }
}
