import type { FlagState } from "../model/flag-state";

/**
 * Where a flag state carries its counter slot: the index, in the evaluation counter's tally, of
 * its flag's count for the value this state serves (`enabled` true or false). A symbol-keyed
 * property set when the state is made (the state stays frozen; `Object.keys`, JSON and
 * `structuredClone` do not see it). A getter then counts an evaluation with one increment in one
 * dense typed array, instead of a map lookup by key or a write to a second object per flag
 * (which, at 10,000 flags read at random, costs a cache miss of its own).
 */
export const COUNTER_SLOT: unique symbol = Symbol("rollgate.counterSlot");

/** A flag state that may carry its counter slot. */
export type CountedFlagState = FlagState & { readonly [COUNTER_SLOT]?: number };

/**
 * Gives the counter slot of a flag key for a state serving `enabled` (telemetry on), or
 * undefined (off, or past the cap).
 */
export type CounterSlots = (key: string, enabled: boolean) => number | undefined;
