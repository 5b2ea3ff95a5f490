/** Helpers shared by the benchmarks: interleaved rounds, medians, a sink the JIT cannot drop. */

export let sink = 0;

/** Consumes a value so that the loop computing it is not optimised away. */
export function consume(value: unknown): void {
  sink = (sink + (value === true ? 1 : value === undefined ? 2 : 3)) | 0;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Nanoseconds per call of `body(i)`, measured over `iterations` calls. */
export function nsPerOp(iterations: number, body: (i: number) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  return Number(process.hrtime.bigint() - start) / iterations;
}

/**
 * Runs `candidate` and `limit` in alternating rounds (so drift and GC hit both alike) and returns
 * the median of each, in ns per op, and their ratio.
 */
export function compare(rounds: number, iterations: number, limit: (i: number) => void, candidate: (i: number) => void) {
  const limits: number[] = [];
  const candidates: number[] = [];
  nsPerOp(iterations, limit);
  nsPerOp(iterations, candidate);
  for (let r = 0; r < rounds; r++) {
    limits.push(nsPerOp(iterations, limit));
    candidates.push(nsPerOp(iterations, candidate));
  }
  const limitNs = median(limits);
  const candidateNs = median(candidates);
  return { limitNs, candidateNs, ratio: candidateNs / limitNs };
}

/** Heap in use after a full collection (needs `node --expose-gc`). */
export function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("Run the benchmarks with node --expose-gc (npm run bench does).");
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}
