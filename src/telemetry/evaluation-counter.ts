import { FlagCode, type FlagTable } from "../model/flag-table";
import { SlotLayout } from "../model/flag-cells";
import type { EvaluationCounts } from "../transport/delivery-bodies";

/**
 * Distinct flags counted at most: keys only come from flags the server sent (the getters count
 * nothing for a missing flag), so this only guards against a pathological flag set.
 */
export const MAX_COUNTED_FLAGS = 100_000;

/**
 * How often the counts must be gathered at least, in ms: a slot holds 2^26 - 1 evaluations, which
 * a getter in a tight loop on one flag (about 20 ns a call) reaches in 1.3 s.
 */
export const GATHER_INTERVAL_MS = 1_000;

/** Something whose current flags the getters read and count in: a user's snapshot store. */
export interface CountedFlags {
  readonly flags: FlagTable;
}

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
 * it just read from (`countAt`), in the very slot it reads the flag's code from (see `FlagTable.cells`: the
 * count sits above the code's bits), with no lookup by key, no array of its own and no check (at
 * 10,000 flags read at random, a write anywhere else was a cache miss of its own, and each check
 * cost as much as the write).
 *
 * So the counter must know every table a getter may count in without being told by the getters:
 * each snapshot store is watched from its creation ({@link watch}) to its completion
 * ({@link unwatch}), and a table its store replaces is gathered then ({@link retire}). Gathering
 * adds the watched stores' tables' counts to the tally, by key and served value, and clears them:
 * at each read of the counts, and at least every {@link GATHER_INTERVAL_MS} (the telemetry
 * reporter's timer), since a slot counts up to 2^26 - 1 and then starts again from zero. Memory
 * is bounded by the number of flags ({@link MAX_COUNTED_FLAGS}) and the watched stores by the
 * users the client holds (`users.maxUsers`, and the client's own).
 *
 * What counts as `true` / `false`: the flag's `enabled` state as served, for every getter. For a
 * boolean flag that is its value; for a typed flag (string, number, JSON) `true` means its value
 * was served and `false` that it was off (the caller's default was returned). A getter asking
 * for a flag the server did not send counts nothing.
 *
 * @example
 * const counter = new EvaluationCounter(true);
 * counter.watch(store); // a user's snapshot store, at its creation
 * // in a getter, after `flags.positions.get(key)` found the flag's position:
 * const code = countAt(flags, position);
 * counter.take(); // { evaluations: { [key]: { total: 1, true: 1, false: 0 } }, total: 1 }
 */
export class EvaluationCounter {
  /** Each counted flag's index (its slots are `2i` and `2i + 1`), in first-seen order. */
  private readonly indexes = new Map<string, number>();
  private tally = new Uint32Array(2 * INITIAL_FLAGS);
  /** The stores whose flags are gathered (see {@link watch}). */
  private readonly watched = new Set<CountedFlags>();

  /**
   * @param active `false` (telemetry off, stopped or closed): the counter records, watches and
   * gathers nothing (the getters' increments in the tables are then never read).
   */
  constructor(private active: boolean) {}

  /** Counts one evaluation of `key` that served `enabled`, by key. */
  record(key: string, enabled: boolean): void {
    if (!this.active) return;
    const index = this.indexes.get(key) ?? this.create(key);
    if (index !== undefined) this.tally[2 * index + (enabled ? 0 : 1)]++;
  }

  /** How many stores are watched: the users the client holds, and its own. */
  get watchedStores(): number {
    return this.watched.size;
  }

  /** Gathers from `store`'s current flags, whatever they are, until {@link unwatch}. */
  watch(store: CountedFlags): void {
    if (this.active) this.watched.add(store);
  }

  /** Gathers `store`'s current flags a last time and stops watching it (it was completed). */
  unwatch(store: CountedFlags): void {
    if (!this.watched.delete(store)) return;
    this.gatherTable(store.flags);
  }

  /** Gathers a table its store replaced: the getters may still count in it, but no store will say so. */
  retire(flags: FlagTable): void {
    if (this.active) this.gatherTable(flags);
  }

  /** Stops counting for good (telemetry stopped, or the client closed). */
  deactivate(): void {
    this.gather();
    this.watched.clear();
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

  /** Adds the watched stores' counts to the tally and clears them: see {@link GATHER_INTERVAL_MS}. */
  gather(): void {
    for (const store of this.watched) this.gatherTable(store.flags);
  }

  private gatherTable(flags: FlagTable): void {
    const cells = flags.cells;
    const keys = flags.order.list;
    for (let position = 0; position < keys.length; position++) {
      const slot = cells[position << 1] as number;
      if (slot >>> SlotLayout.CountShift === 0) continue;
      cells[position << 1] = slot & SlotLayout.CodeMask;
      this.add(keys[position]!, slot);
    }
  }

  /** Adds a slot's count to the tally of `key`, as `true` or `false` by the slot's enabled bit. */
  private add(key: string, slot: number): void {
    const index = this.indexes.get(key) ?? this.create(key);
    if (index !== undefined) this.tally[2 * index + ((slot & FlagCode.Enabled) !== 0 ? 0 : 1)] += slot >>> SlotLayout.CountShift;
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
