import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { RollgateClient, type EvaluationHook, type JsonValue } from "rollgate";
import { createOpenTelemetryHook } from "rollgate/otel";
import { benchKey, benchKind } from "../bench-flags";
import { compareLoops, dedicatedLoop } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 10_000;

/** A metric reader that never exports: the SDK's counting cost, nothing else. */
class DiscardingReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** 4,096 boolean keys drawn at random (seeded) from all 10,000 flags. */
function randomBooleanKeys(): string[] {
  const pool: string[] = [];
  for (let i = 0; i < FLAGS; i++) if (benchKind(i) === "boolean") pool.push(benchKey(i));
  let seed = 7;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  return Array.from({ length: 4096 }, () => pool[Math.floor(next() * pool.length)]!);
}

/**
 * `isEnabled` at 10,000 flags (random keys, telemetry on) with no hook, one no-op hook, and the
 * OpenTelemetry hook (rollgate/otel, event + counter, SDK tracer and meter) inside an active
 * span; each against a bare `Map.get` in the same process. Three clients on one server, so the
 * no-hook row is measured with hooks registered on other clients of the same process.
 */
const subject: BenchSubject = {
  name: "hooks",
  async run({ quick }) {
    const server = await startServerProcess(FLAGS);
    const options = { apiKey: server.apiKey, baseUrl: server.url, cache: false as const, refreshInterval: 0, events: false as const };
    const noop: EvaluationHook = { beforeEvaluation: () => undefined, afterEvaluation: () => undefined };
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
    const meterProvider = new MeterProvider({ readers: [new DiscardingReader()] });
    const plain = new RollgateClient(options);
    const withNoop = new RollgateClient({ ...options, hooks: [noop] });
    const withOtel = new RollgateClient({ ...options, hooks: [createOpenTelemetryHook({ tracerProvider, meterProvider })] });
    await Promise.all([plain.init(), withNoop.init(), withOtel.init()]);
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    const bare = new Map<string, JsonValue>(Object.entries(plain.getAllFlags()));
    const keys = randomBooleanKeys();
    const rounds = quick ? 5 : 7;
    const iterations = quick ? 200_000 : 400_000;
    const measure = (client: RollgateClient) =>
      compareLoops(rounds, iterations, { loop: dedicatedLoop("s.get(k) ?? false"), subject: bare, keys }, { loop: dedicatedLoop("s.isEnabled(k, false)"), subject: client, keys });
    const none = measure(plain);
    const one = measure(withNoop);
    // Inside a recording span, as in a traced request (the span keeps its last 128 events).
    const span = tracerProvider.getTracer("bench").startSpan("request");
    const otel = context.with(trace.setSpan(context.active(), span), () => measure(withOtel));
    span.end();
    const rows: BenchRow[] = [
      { id: "hooks-none", label: "isEnabled, no hook (10,000 flags)", unit: "ns", candidate: none.candidateNs, limit: { label: "Map.get", value: none.limitNs }, target: 1.3 },
      { id: "hooks-noop", label: `isEnabled, one no-op hook (+${Math.round(one.candidateNs - one.limitNs * (none.candidateNs / none.limitNs))} ns per call)`, unit: "ns", candidate: one.candidateNs, limit: { label: "Map.get", value: one.limitNs } },
      { id: "hooks-otel", label: "isEnabled, rollgate/otel hook in an active span (event + counter)", unit: "ns", candidate: otel.candidateNs, limit: { label: "Map.get", value: otel.limitNs } },
    ];
    contextManager.disable();
    await Promise.all([plain.close(), withNoop.close(), withOtel.close()]);
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    await server.close();
    return rows;
  },
};

export default subject;
