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

/**
 * Where a flag state that carries a counter slot counts the evaluations it served since the
 * counter last gathered them: a field of the state the getter already read (the same cache
 * line as `enabled`), so counting touches no second place in memory. The evaluation counter adds
 * it to its tally and sets it back to 0 when it gathers (see `EvaluationCounter`).
 */
export const COUNTER_HITS: unique symbol = Symbol("rollgate.counterHits");

/** A flag state that may carry its counter slot (and then its hits). */
export type CountedFlagState = FlagState & { readonly [COUNTER_SLOT]?: number; [COUNTER_HITS]?: number };

/**
 * Gives the counter slot of a flag key for a state serving `enabled` (telemetry on), or
 * undefined (off, or past the cap).
 */
export type CounterSlots = (key: string, enabled: boolean) => number | undefined;
