import type { FlagState } from "../model/flag-state";

/** One flag's evaluation counters, incremented in place. */
export class CounterCell {
  on = 0;
  off = 0;
}

/**
 * Where a flag state carries its flag's counter cell: a symbol-keyed property, set when the state
 * is made (the state is frozen, the cell is not; `Object.keys`, JSON and `structuredClone` do not
 * see it). A getter then counts an evaluation with one property read and an increment, instead
 * of a second map lookup by key.
 */
export const COUNTER_CELL: unique symbol = Symbol("rollgate.counterCell");

/** A flag state that may carry its counter cell. */
export type CountedFlagState = FlagState & { readonly [COUNTER_CELL]?: CounterCell };

/** Gives the counter cell of a flag key (telemetry on), or undefined (off, or past the cap). */
export type CounterCells = (key: string) => CounterCell | undefined;
