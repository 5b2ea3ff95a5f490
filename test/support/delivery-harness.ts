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
import { RecordingLogger } from "./test-client";
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
