import { context, trace, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { DataPointType, MeterProvider, MetricReader, type SumMetricData } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { RollgateClient, type EvaluationHookDetail } from "rollgate";
import { createOpenTelemetryHook, EVALUATIONS_METRIC, semconvReason, type OpenTelemetryHookOptions } from "rollgate/otel";
import { TestData } from "rollgate/testing";

/** A metric reader that keeps what it collects in memory, read on demand. */
class InMemoryMetricReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  async counts(): Promise<{ attributes: Record<string, unknown>; value: number }[]> {
    const { resourceMetrics } = await this.collect();
    const metric = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === EVALUATIONS_METRIC) as SumMetricData | undefined;
    if (metric === undefined) return [];
    expect(metric.dataPointType).toBe(DataPointType.SUM);
    return metric.dataPoints.map((point) => ({ attributes: { ...point.attributes }, value: point.value }));
  }
}

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
afterAll(() => {
  contextManager.disable();
  context.disable();
});

describe("rollgate/otel", () => {
  let td: TestData;
  let exporter: InMemorySpanExporter;
  let tracerProvider: BasicTracerProvider;
  let tracer: Tracer;
  let reader: InMemoryMetricReader;
  let meterProvider: MeterProvider;
  let client: RollgateClient;

  const start = async (options: OpenTelemetryHookOptions = {}): Promise<() => void> => {
    client = new RollgateClient({ apiKey: "test", testData: td, events: false, telemetry: false, user: { id: "ana", attributes: { plan: "pro" } } });
    await client.init();
    return client.addHook(createOpenTelemetryHook({ tracerProvider, meterProvider, ...options }));
  };
  /** Runs `work` inside an active "request" span and returns that span once ended. */
  const inRequest = (work: () => void): ReadableSpan => {
    tracer.startActiveSpan("request", (span) => {
      work();
      span.end();
    });
    return exporter.getFinishedSpans().find((span) => span.name === "request")!;
  };

  beforeEach(async () => {
    td = new TestData();
    await td.update(td.flag("new-checkout").on());
    await td.update(td.flag("theme").value("light").when("plan", "eq", "pro", "dark"));
    await td.update(td.flag("config").value({ max: 3 }));
    await td.update(td.flag("dark-mode").off());
    exporter = new InMemorySpanExporter();
    tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    tracer = tracerProvider.getTracer("test");
    reader = new InMemoryMetricReader();
    meterProvider = new MeterProvider({ readers: [reader] });
  });
  afterEach(async () => {
    await client.close();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  });

  it("adds a feature_flag.evaluation event to the active span, with the convention's attribute names and values", async () => {
    await start();
    const span = inRequest(() => {
      expect(client.getString("theme", "blue")).toBe("dark");
      expect(client.isEnabled("dark-mode", true)).toBe(false);
      expect(client.isEnabled("new-checkout", false)).toBe(true);
    });
    expect(span.events.map((event) => [event.name, event.attributes])).toEqual([
      ["feature_flag.evaluation", { "feature_flag.key": "theme", "feature_flag.provider.name": "rollgate", "feature_flag.context.id": "ana", "feature_flag.result.reason": "targeting_match" }],
      ["feature_flag.evaluation", { "feature_flag.key": "dark-mode", "feature_flag.provider.name": "rollgate", "feature_flag.context.id": "ana", "feature_flag.result.reason": "disabled" }],
      ["feature_flag.evaluation", { "feature_flag.key": "new-checkout", "feature_flag.provider.name": "rollgate", "feature_flag.context.id": "ana", "feature_flag.result.reason": "default" }],
    ]);
  });

  it("names errors with error.type and feature_flag.error.message: a missing flag, a wrong type", async () => {
    await start();
    const span = inRequest(() => {
      client.isEnabled("no-such-flag", false);
      client.getNumber("theme", 3);
    });
    expect(span.events.map((event) => event.attributes)).toEqual([
      {
        "feature_flag.key": "no-such-flag",
        "feature_flag.provider.name": "rollgate",
        "feature_flag.context.id": "ana",
        "feature_flag.result.reason": "error",
        "error.type": "flag_not_found",
        "feature_flag.error.message": 'Rollgate has no flag "no-such-flag" for this user; the default was returned.',
      },
      {
        "feature_flag.key": "theme",
        "feature_flag.provider.name": "rollgate",
        "feature_flag.context.id": "ana",
        "feature_flag.result.reason": "error",
        "error.type": "type_mismatch",
        "feature_flag.error.message": 'The flag "theme" holds another type than the one asked for; the default was returned.',
      },
    ]);
  });

  it("adds feature_flag.result.value only when asked (JSON values as their JSON text)", async () => {
    await start({ includeValue: true });
    const span = inRequest(() => {
      client.getJson("config", { max: 0 });
      client.getString("theme", "blue");
      client.isEnabled("new-checkout", false);
    });
    expect(span.events.map((event) => event.attributes?.["feature_flag.result.value"])).toEqual(['{"max":3}', "dark", true]);
  });

  it("adds no event and fails nothing when no span is active", async () => {
    await start();
    expect(client.isEnabled("new-checkout", false)).toBe(true);
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(client.getStatus().hooks.errors).toBe(0);
  });

  it("starts a span per evaluation when asked, a child of the active span", async () => {
    await start({ spans: true });
    const request = inRequest(() => client.getString("theme", "blue"));
    const evaluation = exporter.getFinishedSpans().find((span) => span.name === "feature_flag.evaluation")!;
    expect(evaluation.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(evaluation.attributes).toEqual({ "feature_flag.key": "theme", "feature_flag.provider.name": "rollgate", "feature_flag.context.id": "ana", "feature_flag.result.reason": "targeting_match" });
  });

  it("counts evaluations by flag key and reason", async () => {
    await start();
    for (let i = 0; i < 3; i++) client.isEnabled("new-checkout", false);
    client.isEnabled("dark-mode", false);
    client.isEnabled("nope", false);
    const counts = await reader.counts();
    expect(counts).toEqual(
      expect.arrayContaining([
        { attributes: { "feature_flag.key": "new-checkout", "feature_flag.result.reason": "default" }, value: 3 },
        { attributes: { "feature_flag.key": "dark-mode", "feature_flag.result.reason": "disabled" }, value: 1 },
        { attributes: { "feature_flag.key": "nope", "feature_flag.result.reason": "error", "error.type": "flag_not_found" }, value: 1 },
      ]),
    );
    expect(counts).toHaveLength(3);
  });

  it("records nothing once the hook is removed", async () => {
    const remove = await start({ spans: true });
    remove();
    const span = inRequest(() => client.isEnabled("new-checkout", false));
    expect(span.events).toEqual([]);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["request"]);
    expect(await reader.counts()).toEqual([]);
  });

  it("records forUser views' evaluations with their user's id", async () => {
    await start();
    const view = await client.forUser({ id: "bo", attributes: { plan: "free" } });
    const next = tracer.startActiveSpan("request-2", (s) => {
      view.getString("theme", "blue");
      s.end();
      return s as unknown as ReadableSpan;
    });
    expect(next.events[0]?.attributes).toMatchObject({ "feature_flag.context.id": "bo", "feature_flag.result.reason": "default" });
  });
});

describe("semconvReason", () => {
  const detail = (over: Partial<EvaluationHookDetail>): EvaluationHookDetail => ({ value: true, reason: { kind: "FALLTHROUGH" }, errorKind: undefined, source: "server", stale: false, ...over });
  it.each<[string, Partial<EvaluationHookDetail>, string]>([
    ["an error, whatever else", { errorKind: "FLAGS_UNAVAILABLE", stale: true, reason: { kind: "ERROR", errorKind: "FLAGS_UNAVAILABLE" } }, "error"],
    ["a missing flag", { errorKind: "FLAG_NOT_FOUND", reason: { kind: "UNKNOWN" } }, "error"],
    ["stale flags", { stale: true, reason: { kind: "TARGET_MATCH" } }, "stale"],
    ["flags from the persistent cache", { source: "cache" }, "cached"],
    ["OFF", { reason: { kind: "OFF" } }, "disabled"],
    ["TARGET_MATCH", { reason: { kind: "TARGET_MATCH" } }, "targeting_match"],
    ["RULE_MATCH", { reason: { kind: "RULE_MATCH", ruleIndex: 0, inRollout: true } }, "targeting_match"],
    ["FALLTHROUGH", { reason: { kind: "FALLTHROUGH", inRollout: true } }, "default"],
    ["UNKNOWN", { reason: { kind: "UNKNOWN" } }, "unknown"],
  ])("maps %s", (_what, over, expected) => {
    expect(semconvReason(detail(over))).toBe(expected);
  });
});

// Keep the global tracer untouched: the hook is given its providers.
test("the global tracer provider is not needed", () => {
  expect(trace.getActiveSpan()).toBeUndefined();
});
