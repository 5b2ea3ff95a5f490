import { VirtualAction, VirtualTimeScheduler, type SchedulerLike } from "rxjs";
import type { RollgateServer } from "rollgate/server";
import { resolveRetryOptions } from "../../src/resilience/retry-options";
import { FlagTable } from "../../src/model/flag-table";
import { countAt, SlotLayout } from "../../src/model/flag-cells";
import { frozenFlagState } from "../../src/snapshot/frozen-flag-state";
import { EvaluationCounter, GATHER_INTERVAL_MS } from "../../src/telemetry/evaluation-counter";
import { resolveTelemetryOptions, type ResolvedTelemetryOptions } from "../../src/telemetry/telemetry-options";
import { TelemetryReporter } from "../../src/telemetry/telemetry-reporter";
import { deliveryRequests, useDeliverySuite } from "../support/delivery-harness";
import { startScriptedServer } from "../support/scripted-server";
import { startTestServer } from "../support/test-client";

/** The telemetry reporter against the local server on 127.0.0.1, in virtual time. */

const suite = useDeliverySuite();
const harness = (url?: string, apiKey?: string) => suite.harness(url, apiKey);

function evaluate(counter: EvaluationCounter, key: string, on: number, off: number): void {
  for (let i = 0; i < on; i++) counter.record(key, true);
  for (let i = 0; i < off; i++) counter.record(key, false);
}

/** A reporter with the default options on `scheduler`, against the harness's transport and breaker. */
function reporterOn(h: ReturnType<typeof harness>, scheduler: SchedulerLike): { counter: EvaluationCounter; reporter: TelemetryReporter } {
  const counter = new EvaluationCounter(true);
  const reporter = new TelemetryReporter({
    options: resolveTelemetryOptions({}) as ResolvedTelemetryOptions,
    counter,
    transport: h.transport,
    breaker: h.breaker,
    requestOptions: { timeout: 5, retry: resolveRetryOptions(), scheduler },
    logger: h.logger,
    emit: () => {},
  });
  return { counter, reporter };
}

const telemetryPosts = (s: RollgateServer) => deliveryRequests(s).filter((r) => r.path === "/api/v1/sdk/telemetry");

describe("TelemetryReporter", () => {
  it("sends 7 true and 3 false of one flag as {total:10,true:7,false:3} after flushInterval, with an integer period_ms", async () => {
    const h = harness();
    const { counter } = h.telemetry();
    evaluate(counter, "new-feature", 7, 3);
    await h.net.advance(59_000, 1_000);
    expect(suite.server.received.telemetry).toEqual([]);
    await h.net.advance(1_000, 1_000);
    await suite.server.waitFor(() => suite.server.received.telemetry.length === 1);
    expect(suite.server.received.telemetry).toEqual([{ evaluations: { "new-feature": { total: 10, true: 7, false: 3 } }, period_ms: 60_000 }]);
    expect(h.net.sent.map((r) => r.at)).toEqual([60_000]);
    expect(h.emitted).toEqual([{ type: "telemetry-sent", evaluations: 10, periodMs: 60_000 }]);
  });

  it("counts several flags, and each period only what was evaluated in it", async () => {
    const h = harness();
    const { counter, reporter } = h.telemetry({ flushInterval: 10 });
    evaluate(counter, "new-feature", 2, 0);
    evaluate(counter, "theme", 1, 4);
    await h.net.advance(10_000, 1_000);
    evaluate(counter, "theme", 3, 0);
    await h.net.advance(10_000, 1_000);
    await suite.server.waitFor(() => suite.server.received.telemetry.length === 2);
    expect(suite.server.received.telemetry).toEqual([
      { evaluations: { "new-feature": { total: 2, true: 2, false: 0 }, theme: { total: 5, true: 1, false: 4 } }, period_ms: 10_000 },
      { evaluations: { theme: { total: 3, true: 3, false: 0 } }, period_ms: 10_000 },
    ]);
    expect(reporter.stats()).toEqual({
      evaluations: {},
      periodMs: 0,
      pendingEvaluations: 0,
      sentPeriods: 2,
      sentEvaluations: 10,
      droppedEvaluations: 0,
      stopped: false,
    });
  });

  it("gathers the counts the getters left in the flag tables every GATHER_INTERVAL_MS, and not after close()", async () => {
    const h = harness();
    const { counter, reporter } = h.telemetry();
    const store = { flags: FlagTable.of([["new-feature", frozenFlagState("boolean", true, true, { kind: "FALLTHROUGH" })]]) };
    counter.watch(store);
    const count = () => (store.flags.cells[0] as number) >>> SlotLayout.CountShift;
    countAt(store.flags.cells, 0);
    countAt(store.flags.cells, 0);
    await h.net.advance(GATHER_INTERVAL_MS - 1, GATHER_INTERVAL_MS - 1);
    expect(count()).toBe(2);
    await h.net.advance(1, 1);
    expect(count()).toBe(0);
    countAt(store.flags.cells, 0);
    await h.net.advance(GATHER_INTERVAL_MS, GATHER_INTERVAL_MS);
    expect([count(), counter.peek()]).toEqual([0, { "new-feature": { total: 3, true: 3, false: 0 } }]);
    await reporter.close();
    countAt(store.flags.cells, 0);
    await h.net.advance(10 * GATHER_INTERVAL_MS, GATHER_INTERVAL_MS);
    expect(count()).toBe(1);
  });

  it("closes cleanly after hours of an RxJS VirtualTimeScheduler, one gathering a second (no chain of periodic runs)", async () => {
    const h = harness();
    // Six hours of virtual time: a periodic action would have chained 21,600 runs into one subscription.
    const clock = new VirtualTimeScheduler(VirtualAction, 6 * 3_600_000);
    const { reporter } = reporterOn(h, clock);
    clock.flush();
    expect(clock.now()).toBeGreaterThan(6 * 3_600_000 - GATHER_INTERVAL_MS);
    await expect(reporter.close()).resolves.toBeUndefined();
  });

  it("sends nothing for a period without evaluations; that period runs on into the next", async () => {
    const h = harness();
    const { counter } = h.telemetry();
    await h.net.advance(180_000, 5_000);
    expect(h.net.sent).toEqual([]);
    counter.record("new-feature", true);
    await h.net.advance(60_000, 5_000);
    await suite.server.waitFor(() => suite.server.received.telemetry.length === 1);
    expect(suite.server.received.telemetry[0]!.period_ms).toBe(240_000);
  });

  it("never sends a fractional period_ms, whatever the clock says", async () => {
    const h = harness();
    // A scheduler whose clock reads fractions of a millisecond (as one built on performance.now() would).
    const fractional: SchedulerLike = { now: () => h.clock.now * 0.99999 + 0.123, schedule: h.clock.scheduler.schedule.bind(h.clock.scheduler) };
    const { counter, reporter } = reporterOn(h, fractional);
    suite.cleanup(() => reporter.close());
    counter.record("new-feature", true);
    await h.net.advance(60_000, 1_000);
    counter.record("new-feature", true);
    await reporter.flush();
    expect(telemetryPosts(suite.server).map((r) => r.status)).toEqual([200, 200]);
    expect(suite.server.received.telemetry.map((t) => t.period_ms)).toEqual([59_999, 0]);
    expect(Number.isInteger(reporter.stats().periodMs)).toBe(true);
  });

  it("keeps the counts of periods that could not be sent and sends them merged after recovery", async () => {
    const port = suite.server.port;
    const h = harness();
    const { counter, reporter } = h.telemetry();
    await suite.server.close();
    evaluate(counter, "new-feature", 4, 1);
    await h.net.advance(60_000, 500);
    evaluate(counter, "new-feature", 2, 0);
    // A flag named __proto__ is a key like any other, in stats() too.
    evaluate(counter, "__proto__", 0, 1);
    // The second period's send (and its retries, within a second) fails too.
    await h.net.advance(65_000, 500);
    expect(reporter.stats()).toMatchObject({ pendingEvaluations: 8, sentPeriods: 0, evaluations: { "new-feature": { total: 7, true: 6, false: 1 }, ["__proto__"]: { total: 1, true: 0, false: 1 } } });
    expect(Object.keys(reporter.stats().evaluations)).toEqual(["new-feature", "__proto__"]);
    expect(h.breaker.getState()).toBe("closed");

    suite.server = await startTestServer({ port });
    evaluate(counter, "new-feature", 1, 1);
    await h.net.advance(55_000, 500);
    await suite.server.waitFor(() => suite.server.received.telemetry.length === 1);
    expect(suite.server.received.telemetry).toEqual([
      { evaluations: { "new-feature": { total: 9, true: 7, false: 2 }, ["__proto__"]: { total: 1, true: 0, false: 1 } }, period_ms: 180_000 },
    ]);
    expect(reporter.stats()).toMatchObject({ pendingEvaluations: 0, sentPeriods: 1, sentEvaluations: 10, droppedEvaluations: 0 });
    expect(h.loud()).toEqual([]);
  });

  it("shows the counts of a period being sent (waiting out a backoff) in stats(), a flag named __proto__ included", async () => {
    const port = suite.server.port;
    await suite.server.close();
    const h = harness(`http://127.0.0.1:${port}`, "k");
    const { counter, reporter } = h.telemetry();
    evaluate(counter, "__proto__", 2, 1);
    evaluate(counter, "a", 1, 0);
    const flushed = reporter.flush();
    await h.net.quiesce();
    counter.record("a", false);
    const stats = reporter.stats();
    expect(Object.keys(stats.evaluations).sort()).toEqual(["__proto__", "a"]);
    expect(stats.evaluations["__proto__"]).toEqual({ total: 3, true: 2, false: 1 });
    expect(stats.evaluations["a"]).toEqual({ total: 2, true: 1, false: 1 });
    expect(stats.pendingEvaluations).toBe(5);
    await h.net.advance(2_000, 100);
    await flushed;
    suite.server = await startTestServer();
  });

  it("sends nothing while the circuit is open, and keeps the counts", async () => {
    const h = harness();
    const { counter, reporter } = h.telemetry();
    for (let i = 0; i < 5; i++) h.breaker.recordFailure();
    evaluate(counter, "new-feature", 3, 0);
    await reporter.flush();
    await h.net.advance(29_000, 1_000);
    expect(suite.server.received.requests).toEqual([]);
    h.breaker.reset();
    await reporter.flush();
    expect(suite.server.received.telemetry).toEqual([{ evaluations: { "new-feature": { total: 3, true: 3, false: 0 } }, period_ms: 29_000 }]);
  });

  it("drops a period refused with a 4xx, with one warning", async () => {
    const scripted = await startScriptedServer([{ status: 413 }]);
    suite.cleanup(() => scripted.close());
    const h = harness(scripted.url, "k");
    const { counter, reporter } = h.telemetry();
    evaluate(counter, "f", 1, 1);
    await reporter.flush();
    expect(reporter.status()).toMatchObject({ pendingEvaluations: 0, droppedEvaluations: 2, sentPeriods: 0 });
    expect(h.loud()).toEqual([expect.stringMatching(/^warn: Rollgate refused the evaluation telemetry of 2 evaluations, which was dropped.*HTTP 413/)]);
    evaluate(counter, "f", 1, 0);
    await reporter.flush();
    expect(scripted.received).toHaveLength(2);
    expect(reporter.status()).toMatchObject({ sentPeriods: 1, sentEvaluations: 1 });
  });

  it("stops for good when the key is refused (401)", async () => {
    const h = harness(suite.server.url, "wrong-key");
    const { counter, reporter } = h.telemetry();
    evaluate(counter, "f", 2, 0);
    await reporter.flush();
    counter.record("f", true);
    await reporter.flush();
    await h.net.advance(600_000, 60_000);
    // One refused request (the suite.server counts it without recording it), then nothing.
    expect(suite.server.received.unauthenticated).toBe(1);
    expect(telemetryPosts(suite.server)).toHaveLength(0);
    expect(reporter.status()).toEqual({ pendingEvaluations: 0, sentPeriods: 0, sentEvaluations: 0, droppedEvaluations: 2, stopped: true });
    expect(h.loud()).toEqual([expect.stringMatching(/^error: Rollgate refused the API key for evaluation telemetry/)]);
  });

  it("close() sends the last period, stops counting and leaves no timer", async () => {
    const h = harness();
    const { counter, reporter } = h.telemetry();
    await h.net.advance(12_345, 12_345);
    evaluate(counter, "new-feature", 1, 0);
    await reporter.close();
    expect(suite.server.received.telemetry).toEqual([{ evaluations: { "new-feature": { total: 1, true: 1, false: 0 } }, period_ms: 12_345 }]);
    expect(h.clock.pendingTimers).toBe(0);
    counter.record("new-feature", true);
    expect(reporter.status().pendingEvaluations).toBe(0);
    await reporter.flush();
    expect(suite.server.received.telemetry).toHaveLength(1);
  });

  it("close() while Rollgate is down drops the counts quietly and returns at once", async () => {
    const port = suite.server.port;
    await suite.server.close();
    const h = harness(`http://127.0.0.1:${port}`, "k");
    const { counter, reporter } = h.telemetry();
    evaluate(counter, "f", 3, 0);
    await reporter.close();
    expect(h.clock.pendingTimers).toBe(0);
    expect(reporter.status()).toMatchObject({ pendingEvaluations: 0, droppedEvaluations: 3 });
    expect(h.emitted).toEqual([{ type: "telemetry-dropped", evaluations: 3, reason: "closed" }]);
    expect(h.loud()).toEqual([]);
    suite.server = await startTestServer();
  });
});
