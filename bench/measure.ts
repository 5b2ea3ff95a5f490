/** Measurement helpers shared by the subjects: dedicated loops, medians, CPU time, settled heap. */

/** A timed loop over `keys`, returning nanoseconds per call. */
export type Loop = (subject: unknown, keys: readonly string[], iterations: number) => number;
export type AsyncLoop = (subject: unknown, keys: readonly string[], iterations: number) => Promise<number>;

const sinkHolder = globalThis as { benchSink?: number };

/** Loops made so far: numbers each loop's source, so no two share a compiled function (see {@link dedicatedLoop}). */
let loops = 0;

function loopSource(expression: string, isAsync: boolean): string {
  return `"use strict"; // loop ${++loops}
const mask = keys.length - 1;
let acc = 0;
const start = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  const k = keys[i & mask];
  const v = ${isAsync ? "await " : ""}${expression};
  acc = (acc + (v === true ? 1 : v === undefined ? 2 : 3)) | 0;
}
const ns = Number(process.hrtime.bigint() - start) / n;
globalThis.benchSink = (globalThis.benchSink ?? 0) ^ acc;
return ns;`;
}

/**
 * A loop evaluating `expression` (over `s`, the subject, and `k`, the key) for each key in turn.
 * Each call compiles a new function, so every subject gets its own call sites and type feedback:
 * no subject pays for a call site that others made megamorphic. (V8 caches what `new Function`
 * compiles by its source text, feedback included: without the loop's number in its source, two
 * loops of the same expression would share their call sites.) `keys.length` must be a power of
 * two. The result of each call is folded into a global sink, so the JIT cannot drop the call.
 */
export function dedicatedLoop(expression: string): Loop {
  return new Function("s", "keys", "n", loopSource(expression, false)) as Loop;
}

/** {@link dedicatedLoop} for subjects whose getters return promises (await per call). */
export function dedicatedAsyncLoop(expression: string): AsyncLoop {
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as FunctionConstructor;
  return new AsyncFunction("s", "keys", "n", loopSource(expression, true)) as unknown as AsyncLoop;
}

export function sinkValue(): number {
  return sinkHolder.benchSink ?? 0;
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

/**
 * Median ns/op of a candidate loop and its limit loop, measured in alternating rounds so that
 * drift and GC hit both alike.
 */
export function compareLoops(
  rounds: number,
  iterations: number,
  limit: { loop: Loop; subject: unknown; keys: readonly string[] },
  candidate: { loop: Loop; subject: unknown; keys: readonly string[] },
): { limitNs: number; candidateNs: number } {
  const limits: number[] = [];
  const candidates: number[] = [];
  for (let warm = 0; warm < 2; warm++) {
    limit.loop(limit.subject, limit.keys, iterations);
    candidate.loop(candidate.subject, candidate.keys, iterations);
  }
  for (let r = 0; r < rounds; r++) {
    limits.push(limit.loop(limit.subject, limit.keys, iterations));
    candidates.push(candidate.loop(candidate.subject, candidate.keys, iterations));
  }
  return { limitNs: median(limits), candidateNs: median(candidates) };
}

/** CPU time (user + system, all threads of this process) spent in `work`, in ms. */
export async function cpuMs(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Heap in use after full collections (needs `node --expose-gc`, which the runner passes). */
export function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("Run the benchmarks through `npm run bench` (it passes --expose-gc).");
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Lets pending I/O and timers run. */
export function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
