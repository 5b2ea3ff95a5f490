/**
 * Evaluation telemetry on the getters' hot path (DESIGN.md: "with evaluation telemetry on, the
 * same bounds"): a getter's shape with and without `EvaluationCounter.record`, against a bare
 * `Map.get`, in the same process, over 8,192 rotating keys (as bench/getters.ts) and over 16 hot
 * keys; and the heap allocated per counted evaluation.
 *
 * Run alone: `node --expose-gc --import tsx bench/evaluation-counter.ts`.
 */
import { pathToFileURL } from "node:url";
import type { FlagState } from "rollgate";
import { EvaluationCounter } from "../src/telemetry/evaluation-counter";
import { compare, consume, settledHeap } from "./measure";

/** The client's snapshot lookup, as `isEnabled` does it (`this.store.current.flags.get(key)`). */
interface Store {
  readonly current: { readonly flags: ReadonlyMap<string, FlagState> };
}

/** `isEnabled` exactly as the client has it today, and with the one line telemetry adds. */
class Getters {
  constructor(
    private readonly store: Store,
    private readonly counter: EvaluationCounter,
  ) {}

  isEnabled(key: string, defaultValue: boolean): boolean {
    const state = this.store.current.flags.get(key);
    return state === undefined ? defaultValue : state.enabled;
  }

  isEnabledCounted(key: string, defaultValue: boolean): boolean {
    const state = this.store.current.flags.get(key);
    if (state === undefined) return defaultValue;
    this.counter.record(key, state.enabled);
    return state.enabled;
  }
}

export function benchEvaluationCounter(flagCount = 10_000) {
  const keys = Array.from({ length: 8192 }, (_, i) => `flag-${i}`);
  const mask = keys.length - 1;
  const flags = new Map<string, FlagState>();
  for (let i = 0; i < flagCount; i++) flags.set(`flag-${i}`, Object.freeze({ type: "boolean", enabled: i % 3 !== 0, value: i % 3 !== 0, reason: Object.freeze({ kind: "FALLTHROUGH" }) }));
  const bare = new Map<string, boolean>([...flags].map(([k, v]) => [k, v.enabled]));
  const store: Store = { current: { flags } };
  const on = new Getters(store, new EvaluationCounter(true));
  const off = new Getters(store, new EvaluationCounter(false));
  const rounds = 15;
  const iterations = 2_000_000;
  const mapGet = (i: number) => consume(bare.get(keys[i & mask]!) ?? false);
  // A service's usual load: a handful of hot flags, evaluated over and over.
  const hot = 15;
  const hotMapGet = (i: number) => consume(bare.get(keys[i & hot]!) ?? false);
  const results = {
    getterWithoutTelemetry: compare(rounds, iterations, mapGet, (i) => consume(off.isEnabled(keys[i & mask]!, false))),
    getterTelemetryOff: compare(rounds, iterations, mapGet, (i) => consume(off.isEnabledCounted(keys[i & mask]!, false))),
    getterTelemetryOn: compare(rounds, iterations, mapGet, (i) => consume(on.isEnabledCounted(keys[i & mask]!, false))),
    hotGetterWithoutTelemetry: compare(rounds, iterations, hotMapGet, (i) => consume(off.isEnabled(keys[i & hot]!, false))),
    hotGetterTelemetryOn: compare(rounds, iterations, hotMapGet, (i) => consume(on.isEnabledCounted(keys[i & hot]!, false))),
  };
  // Allocation: every key already counted once (its counter exists), then 10 M evaluations with
  // no collection in between; the heap should not grow.
  const counter = new EvaluationCounter(true);
  for (const key of keys) counter.record(key, true);
  const before = settledHeap();
  for (let i = 0; i < 10_000_000; i++) counter.record(keys[i & mask]!, (i & 1) === 0);
  const bytesPerEvaluation = (process.memoryUsage().heapUsed - before) / 10_000_000;
  return { ...results, bytesPerEvaluation };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = benchEvaluationCounter();
  const row = (name: string, c: { candidateNs: number; limitNs: number; ratio: number }) =>
    `${name.padEnd(34)} ${c.candidateNs.toFixed(2).padStart(6)} ns  vs Map.get ${c.limitNs.toFixed(2)} ns  ${c.ratio.toFixed(2)}×\n`;
  process.stdout.write(`evaluation telemetry — node ${process.version}\n`);
  process.stdout.write(row("isEnabled as today", r.getterWithoutTelemetry));
  process.stdout.write(row("isEnabled + record, telemetry off", r.getterTelemetryOff));
  process.stdout.write(row("isEnabled + record, telemetry on", r.getterTelemetryOn));
  process.stdout.write(row("16 hot keys: isEnabled as today", r.hotGetterWithoutTelemetry));
  process.stdout.write(row("16 hot keys: + record, on", r.hotGetterTelemetryOn));
  process.stdout.write(`heap per counted evaluation: ${r.bytesPerEvaluation.toFixed(4)} bytes\n`);
}
