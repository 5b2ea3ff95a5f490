/**
 * What a benchmark subject is: one small file under bench/subjects/ that measures a candidate and,
 * in the same process, the bare limit it is held to. `npm run bench` runs every subject N times,
 * each run in a fresh process, and reports medians and spreads (see bench/README.md).
 */

/** One measured figure of one run. */
export interface BenchRow {
  /** Stable id, used to pair the runs of a row and as the JSON key. */
  readonly id: string;
  /** What is measured, as printed. */
  readonly label: string;
  readonly unit: "ns" | "µs" | "ms" | "KiB" | "MiB" | "B" | "%" | "count";
  /** rollgate's figure (or a comparison SDK's, for rows without a target). */
  readonly candidate: number;
  /** The bare limit measured in the same process, when there is one. */
  readonly limit?: { readonly label: string; readonly value: number };
  /** The ratio candidate / limit must not exceed this (DESIGN.md, "Performance targets"). */
  readonly target?: number;
}

export interface SubjectContext {
  /** `npm run bench -- --quick`: fewer iterations, for a smoke run. */
  readonly quick: boolean;
}

export interface BenchSubject {
  /** The file name under bench/subjects/, without extension. */
  readonly name: string;
  /** One run; called in a fresh process started with --expose-gc. */
  run(context: SubjectContext): Promise<BenchRow[]>;
}
