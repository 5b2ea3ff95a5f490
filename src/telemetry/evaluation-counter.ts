import type { FlagTable } from "../model/flag-table";
import type { EvaluationCounts } from "../transport/delivery-bodies";

/**
 * Distinct flags counted at most: keys only come from flags the server sent (the getters count
 * nothing for a missing flag), so this only guards against a pathological flag set.
 */
export const MAX_COUNTED_FLAGS = 100_000;

/**
 * Flags of the tables counted since the last gathering, at most: past it the hits are gathered at
 * once (a pass over those tables, so amortised O(1) per flag of a table), so that tables replaced
 * by newer flags are not kept alive by the list for a whole period.
 */
const MAX_TOUCHED_FLAGS = 65_536;

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
 * counts `true`, `2i + 1` counts `false`. A getter does not write there: it counts in the table
 * it just read from, one increment in the table's own `hits` array at the flag's position
 * (see `FlagTable.hits`), which stays in cache next to the codes the getter read, with no lookup by
 * key (at 10,000 flags read at random, a write anywhere else was a cache miss of its own). A
 * table's first count since the last gathering gives it its `hits` and puts it on a list;
 * gathering (at each read of the counts, or once the listed tables hold many flags) adds each
 * listed table's hits to the tally, by key and served value, and takes the array back. Memory is
 * bounded by the number of flags ({@link MAX_COUNTED_FLAGS}) and the
 * list by {@link MAX_TOUCHED_FLAGS}. A slot counts up to 2^32 - 1 evaluations per period (at 10 ns per
 * evaluation that is 40 s of nothing else; periods are shorter).
 *
 * What counts as `true` / `false`: the flag's `enabled` state as served, for every getter. For a
 * boolean flag that is its value; for a typed flag (string, number, JSON) `true` means its value
 * was served and `false` that it was off (the caller's default was returned). A getter asking
 * for a flag the server did not send counts nothing.
 *
 * @example
 * const counter = new EvaluationCounter(true);
 * // in a getter, after `flags.positions.get(key)` found the flag's position:
 * counter.count(flags, position);
 */
export class EvaluationCounter {
  /** Each counted flag's index (its slots are `2i` and `2i + 1`), in first-seen order. */
  private readonly indexes = new Map<string, number>();
  private tally = new Uint32Array(2 * INITIAL_FLAGS);
  /** The tables with hits not yet gathered into the tally. */
  private readonly touched: FlagTable[] = [];
  /** How many flags the touched tables hold. */
  private touchedFlags = 0;

  /** @param active `false` (telemetry off, stopped or closed) makes counting a no-op. */
  constructor(private active: boolean) {}

  /**
   * Counts one evaluation of the flag at `position` in `flags`: the getters' hot path (one
   * increment; no allocation but a table's first count of a period, no clock, no lookup).
   */
  count(flags: FlagTable, position: number): void {
    const hits = flags.hits;
    if (hits !== undefined) hits[position]!++;
    else this.begin(flags, position);
  }

  /** Counts one evaluation of `key` that served `enabled`, by key. */
  record(key: string, enabled: boolean): void {
    if (!this.active) return;
    const index = this.indexes.get(key) ?? this.create(key);
    if (index !== undefined) this.tally[2 * index + (enabled ? 0 : 1)]++;
  }

  /** A table's first count since the last gathering: gives it its hits, and lists it. */
  private begin(flags: FlagTable, position: number): void {
    if (!this.active) return;
    const hits = new Uint32Array(flags.size);
    hits[position] = 1;
    flags.hits = hits;
    this.touched.push(flags);
    this.touchedFlags += flags.size;
    if (this.touchedFlags >= MAX_TOUCHED_FLAGS) this.gather();
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

  /** Adds the listed tables' hits to the tally and takes their arrays back. */
  private gather(): void {
    const touched = this.touched;
    for (const flags of touched) {
      const hits = flags.hits!;
      flags.hits = undefined;
      const keys = flags.order.list;
      for (let position = 0; position < hits.length; position++) {
        const count = hits[position]!;
        if (count === 0) continue;
        const key = keys[position]!;
        const index = this.indexes.get(key) ?? this.create(key);
        if (index !== undefined) this.tally[2 * index + (flags.states[position]!.enabled ? 0 : 1)] += count;
      }
    }
    touched.length = 0;
    this.touchedFlags = 0;
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
      // A flag with no evaluation this period keeps its index (for the client's life, bounded).
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
