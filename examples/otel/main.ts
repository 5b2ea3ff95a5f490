/**
 * An Express service whose request spans carry the flags each request evaluated: rollgate's
 * OpenTelemetry hook (`rollgate/otel`) adds a `feature_flag.evaluation` event to the active span
 * for every evaluation, and the console exporter prints each request's span with its events.
 *
 * Run: `npm run server` in one terminal, then `npx tsx examples/otel/main.ts`, then
 * `curl -H "x-user-id: ana" -H "x-user-plan: pro" -H "x-user-country: US" http://127.0.0.1:3000/api/checkout`.
 *
 * Environment: ROLLGATE_API_KEY, ROLLGATE_BASE_URL (default: the local server of
 * `npm run server`), PORT (default 3000).
 */
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import express from "express";
import { RollgateClient } from "rollgate";
import { createOpenTelemetryHook } from "rollgate/otel";
import { userFlags } from "../express/user-flags-middleware";

// OpenTelemetry: the active span follows each request across its awaits (AsyncLocalStorage), and
// finished spans are printed to stdout. A production service would use @opentelemetry/sdk-node
// with the http and express instrumentations and an OTLP exporter: the hook works the same.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] });
trace.setGlobalTracerProvider(tracerProvider);
const tracer = trace.getTracer("rollgate-otel-example");

const rollgate = new RollgateClient({
  apiKey: process.env.ROLLGATE_API_KEY ?? "rg_server_local_dev_key",
  baseUrl: process.env.ROLLGATE_BASE_URL ?? "http://127.0.0.1:8787",
  // Every evaluation, on the client and on every forUser view, becomes an event on the active
  // span. includeValue adds the served value (off by default: values may be sensitive).
  hooks: [createOpenTelemetryHook({ includeValue: true })],
});
await rollgate.init();

const app = express();
// A span per request, active while the request is handled (what the http instrumentation does).
app.use((request, response, next) => {
  tracer.startActiveSpan(`${request.method} ${request.path}`, (span) => {
    response.once("finish", () => {
      span.setAttribute("http.response.status_code", response.statusCode);
      span.end();
    });
    next();
  });
});
app.get("/api/checkout", userFlags(rollgate), (request, response) => {
  response.json({
    variant: request.flags.getString("checkout-variant", "control"),
    theme: request.flags.getString("theme", "light"),
    newFeature: request.flags.isEnabled("new-feature", false),
  });
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : process.env.PORT;
  console.log(`OpenTelemetry example listening on http://127.0.0.1:${port}`);
});

async function shutdown(signal: string): Promise<void> {
  console.log(`${signal} received, shutting down.`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rollgate.close();
  await tracerProvider.shutdown();
}
process.once("SIGTERM", (signal) => void shutdown(signal));
process.once("SIGINT", (signal) => void shutdown(signal));
