import type { JsonValue } from "./flag-model";

/*
 * A flag table's cells and the getters' reads of them, in a module of their own that only modules
 * of the `rollgate` entry import (flag-table.ts imports its type alone), so that the ES build
 * keeps these functions in the same output module as the getters. From the chunk that the
 * entries share, each call was a load of the imported binding and a check of its target on every
 * evaluation: `getValue` at 10,000 flags cost 1.34x `Map.get` against 1.24x (A/B of the two
 * builds in one process). test/packaging/built-package.test.ts checks that the getters call
 * nothing imported.
 */

/**
 * How a flag's slot (see `FlagTable.cells`) holds its code and its evaluation count: the
 * code in the low four bits, the count above them, 26 bits of it. A slot stays below 2^30, so that
 * it is always a small integer (V8 keeps it in the array as is, with no allocation).
 */
export const enum SlotLayout {
  /** The bits that hold the code. */
  CodeMask = 0b1111,
  /** How far the count sits above the code: `slot >>> CountShift` is the count. */
  CountShift = 4,
  /** What one evaluation adds to a slot. */
  OneEvaluation = 1 << CountShift,
  /** What a slot keeps after one more evaluation: its code, and its count modulo 2^26. */
  Wrap = (1 << 30) - 1,
}

/** A table's cells: per flag, its slot and what it serves (see `FlagTable.cells`). */
export type FlagCells = (number | JsonValue | undefined)[];

/** The code (`FlagCode`) of the flag at `position` in a table's `cells`, without counting an evaluation. */
export function codeAt(cells: FlagCells, position: number): number {
  return (cells[position << 1] as number) & SlotLayout.CodeMask;
}

/**
 * Counts one evaluation of the flag at `position` in a table's `cells` (evaluation telemetry) and
 * returns its code: the getters' hot path, one read and one write of the flag's slot, with no
 * branch, no allocation and no lookup. The table keeps the count until the evaluation counter
 * gathers it (`EvaluationCounter`, which watches every store the getters read from); past
 * 2^26 - 1 it starts again from zero, so the counter gathers every second.
 */
export function countAt(cells: FlagCells, position: number): number {
  const at = position << 1;
  const slot = cells[at] as number;
  cells[at] = (slot + SlotLayout.OneEvaluation) & SlotLayout.Wrap;
  return slot & SlotLayout.CodeMask;
}

/** What the flag at `position` in a table's `cells` serves: see `FlagTable.cells`. */
export function servedAt(cells: FlagCells, position: number): JsonValue | undefined {
  return cells[(position << 1) + 1] as JsonValue | undefined;
}
