import type { RollgateEvent } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { EventSender } from "../../src/events/event-sender";
import { resolveEventsOptions, type EventsOptions, type ResolvedEventsOptions } from "../../src/events/event-options";
import { resolveCircuitBreakerOptions } from "../../src/resilience/circuit-breaker-options";
import { CircuitBreaker } from "../../src/resilience/circuit-breaker";
import { resolveRetryOptions } from "../../src/resilience/retry-options";
import { EvaluationCounter } from "../../src/telemetry/evaluation-counter";
import { TelemetryReporter } from "../../src/telemetry/telemetry-reporter";
import { resolveTelemetryOptions, type ResolvedTelemetryOptions, type TelemetryOptions } from "../../src/telemetry/telemetry-options";
import { HttpFlagsTransport } from "../../src/transport/http-flags-transport";
import { LeanVirtualClock } from "./lean-virtual-clock";
import { ProcessFailureSpy } from "./process-failure-spy";
import { RecordingLogger, startTestServer } from "./test-client";
import { VirtualNetwork } from "./virtual-network";

/**
 * The parts the client wires for events and telemetry, built as the client builds them, against
 * a server on 127.0.0.1 with virtual time: an HTTP transport on a {@link VirtualNetwork} (lean
 * clock, so that `pendingTimers` shows what close() left), a real circuit breaker, and a
 * recorder of what the parts emit.
 *
 * @example
 * const h = deliveryHarness(server.url, server.apiKey);
 * const events = h.eventSender({ maxBatch: 10 });
 * events.track({ flagKey: "f", eventName: "purchase", userId: "u1" });
 * await h.net.advance(30_000, 1_000);
 * await h.close();
 */
export function deliveryHarness(baseUrl: string, apiKey: string) {
  const net = new VirtualNetwork(new LeanVirtualClock());
  const logger = new RecordingLogger();
  const emitted: RollgateEvent[] = [];
  const emit = (event: RollgateEvent) => emitted.push(event);
  const transport = new HttpFlagsTransport({ baseUrl, apiKey, maxPayloadBytes: 5 * 1024 * 1024, logger, dispatcher: net.dispatcher, now: () => net.now });
  const breaker = new CircuitBreaker(resolveCircuitBreakerOptions(), net.scheduler);
  const requestOptions = { timeout: 5, retry: resolveRetryOptions(), scheduler: net.scheduler };
  const closers: (() => Promise<void>)[] = [];
  return {
    net,
    clock: net.clock,
    logger,
    emitted,
    transport,
    breaker,
    requestOptions,
    eventSender(options: EventsOptions = {}): EventSender {
      const sender = new EventSender({ options: resolveEventsOptions(options) as ResolvedEventsOptions, transport, breaker, requestOptions, logger, emit });
      closers.push(() => sender.close());
      return sender;
    },
    telemetry(options: TelemetryOptions = {}): { counter: EvaluationCounter; reporter: TelemetryReporter } {
      const counter = new EvaluationCounter(true);
      const reporter = new TelemetryReporter({
        options: resolveTelemetryOptions(options) as ResolvedTelemetryOptions,
        counter,
        transport,
        breaker,
        requestOptions,
        logger,
        emit,
      });
      closers.push(() => reporter.close());
      return { counter, reporter };
    },
    /** Warnings and errors the parts logged. */
    loud(): string[] {
      return logger.messages.filter((m) => m.level === "warn" || m.level === "error").map((m) => `${m.level}: ${m.message}`);
    },
    async close(): Promise<void> {
      await Promise.all(closers.map((close) => close()));
      breaker.dispose();
      await transport.close();
      await net.close();
    },
  };
}

/** The conversion-event and telemetry requests a server received, in order. */
export function deliveryRequests(server: RollgateServer) {
  return server.received.requests.filter((r) => r.path === "/api/v1/sdk/events" || r.path === "/api/v1/sdk/telemetry");
}

/**
 * The lifecycle every delivery test file shares: a local server per test, harnesses closed after
 * it (newest first), and no unhandled rejection or uncaught exception allowed. Call at the top
 * level of a test file.
 *
 * @example
 * const suite = useDeliverySuite();
 * it("...", async () => { const h = suite.harness(); ... suite.server.received.events ... });
 */
export interface DeliverySuite {
  /** This test's local server; a test that restarts it (an outage) assigns the new one. */
  server: RollgateServer;
  /** A harness against `url` (this test's server by default), closed after the test. */
  harness(url?: string, apiKey?: string): ReturnType<typeof deliveryHarness>;
  /** Runs `close` after the test, before the harnesses made earlier. */
  cleanup(close: () => Promise<void>): void;
}

export function useDeliverySuite(): DeliverySuite {
  const spy = new ProcessFailureSpy();
  const cleanups: (() => Promise<void>)[] = [];
  let server: RollgateServer | undefined;
  beforeEach(async () => {
    spy.install();
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server?.close();
    spy.uninstall();
    expect(spy.failures).toEqual([]);
  });
  return {
    get server() {
      if (server === undefined) throw new Error("useDeliverySuite: the server exists only inside a test.");
      return server;
    },
    set server(next: RollgateServer) {
      server = next;
    },
    cleanup(close) {
      cleanups.push(close);
    },
    harness(url, apiKey) {
      const h = deliveryHarness(url ?? this.server.url, apiKey ?? this.server.apiKey);
      cleanups.push(() => h.close());
      return h;
    },
  };
}
