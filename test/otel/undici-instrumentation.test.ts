import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { RollgateServer } from "rollgate/server";
import { clientFor, startTestServer } from "../support/test-client";

/**
 * rollgate's own HTTP requests go through undici, which publishes them on Node's diagnostics
 * channels: with the OpenTelemetry undici instrumentation on, a flags request is a client span.
 */
describe("rollgate's requests with @opentelemetry/instrumentation-undici", () => {
  const contextManager = new AsyncLocalStorageContextManager();
  let server: RollgateServer;
  let exporter: InMemorySpanExporter;
  let provider: BasicTracerProvider;
  let instrumentation: UndiciInstrumentation;

  beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
  afterAll(() => {
    contextManager.disable();
    context.disable();
  });
  beforeEach(async () => {
    server = await startTestServer();
    exporter = new InMemorySpanExporter();
    provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    // Enabled at construction (it subscribes to undici's channels then), as an SDK setup does.
    instrumentation = new UndiciInstrumentation();
    instrumentation.setTracerProvider(provider);
  });
  afterEach(async () => {
    instrumentation.disable();
    await provider.shutdown();
    await server.close();
  });

  it("shows the flags request of init() as a GET span to the flags URL", async () => {
    const client = clientFor(server);
    await client.init();
    await client.close();
    const spans = exporter.getFinishedSpans();
    const flags = spans.find((span) => String(span.attributes["url.full"]).includes("/api/v1/sdk/v2/flags"));
    expect(flags).toBeDefined();
    expect(flags!.attributes).toMatchObject({ "http.request.method": "GET", "http.response.status_code": 200, "server.address": "127.0.0.1" });
    // The API key is a header; the instrumentation records no request headers unless told to.
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain(server.apiKey);
  });
});
