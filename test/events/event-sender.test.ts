import type { RollgateServer } from "rollgate/server";
import type { ConversionEvent } from "../../src/transport/delivery-bodies";
import { deliveryRequests, useDeliverySuite } from "../support/delivery-harness";
import { startScriptedServer } from "../support/scripted-server";
import { startTestServer } from "../support/test-client";

/**
 * The event sender against the local server on 127.0.0.1, in virtual time: batching, order,
 * outages, the breaker as a gate, the failure policy, and a clean close.
 */

const STEP_MS = 250;
const suite = useDeliverySuite();
const harness = (url?: string, apiKey?: string) => suite.harness(url, apiKey);

const purchase = (i: number, userId = "user-1") => ({ flagKey: "checkout-redesign", eventName: "purchase", userId, value: i });
const values = () => suite.server.received.events.map((e) => e.value);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const eventPosts = (s: RollgateServer) => deliveryRequests(s).filter((r) => r.path === "/api/v1/sdk/events");

describe("EventSender", () => {
  it("sends a batch as soon as maxBatch events wait, and the rest at the interval, in order", async () => {
    const h = harness();
    const events = h.eventSender({ maxBatch: 10 });
    for (let i = 0; i < 25; i++) expect(events.track(purchase(i))).toBe(true);
    await suite.server.waitFor(() => suite.server.received.events.length === 20);
    await h.net.quiesce();
    expect(h.net.sent.map((r) => r.at)).toEqual([0, 0]);
    expect(events.stats()).toEqual({ queued: 5, sent: 20, dropped: 0, invalid: 0, stopped: false });

    await h.net.advance(29_000, STEP_MS);
    expect(suite.server.received.events).toHaveLength(20);
    await h.net.advance(1_000, STEP_MS);
    expect(values()).toEqual(range(0, 25));
    expect(h.net.sent.map((r) => r.at)).toEqual([0, 0, 30_000]);
    expect(h.emitted).toEqual([
      { type: "events-sent", count: 10, queued: expect.any(Number) },
      { type: "events-sent", count: 10, queued: 5 },
      { type: "events-sent", count: 5, queued: 0 },
    ]);
    expect(h.loud()).toEqual([]);
  });

  it("waits for the interval when fewer than maxBatch are queued, and sends nothing when nothing is", async () => {
    const h = harness();
    const events = h.eventSender({ flushInterval: 10 });
    await h.net.advance(60_000, 1_000);
    expect(h.net.sent).toEqual([]);
    h.clock.advanceBy(500);
    events.track(purchase(1));
    events.track(purchase(2));
    await h.net.advance(9_000, 1_000);
    expect(suite.server.received.events).toEqual([]);
    await h.net.advance(500, STEP_MS);
    expect(values()).toEqual([1, 2]);
    expect(h.net.sent.map((r) => r.at)).toEqual([70_000]);
    // Timestamped at the track() call, on the scheduler's clock.
    expect(suite.server.received.events.map((e) => e.timestamp)).toEqual(["1970-01-01T00:01:00.500Z", "1970-01-01T00:01:00.500Z"]);
  });

  it("flush() sends everything now, in batches, and resolves once delivered", async () => {
    const h = harness();
    const events = h.eventSender({ maxBatch: 100 });
    for (let i = 0; i < 250; i++) events.track(purchase(i));
    await events.flush();
    expect(values()).toEqual(range(0, 250));
    expect(eventPosts(suite.server).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(events.stats()).toMatchObject({ queued: 0, sent: 250 });
  });

  it("keeps the newest maxQueue events through a 10-minute outage and delivers them, in order, after recovery", async () => {
    const port = suite.server.port;
    const h = harness();
    const events = h.eventSender({ maxQueue: 2_500 });
    await suite.server.close();

    // 10,000 events over 10 minutes of virtual time while the suite.server is down.
    for (let minute = 0; minute < 10; minute++) {
      for (let i = 0; i < 1_000; i++) expect(events.track(purchase(minute * 1_000 + i))).toBe(true);
      await h.net.advance(60_000, 1_000);
      expect(events.stats().queued).toBeLessThanOrEqual(2_500);
    }
    expect(events.stats()).toEqual({ queued: 2_500, sent: 0, dropped: 7_500, invalid: 0, stopped: false });
    // The sender kept trying at each interval (with backoff), not at every track(): bounded.
    expect(h.net.sent.length).toBeLessThanOrEqual((600 / 30 + 1) * 4);
    // Its failures are not the breaker's business (see gatedRequest).
    expect(h.breaker.getState()).toBe("closed");
    expect(h.loud()).toEqual([
      expect.stringMatching(/^warn: Could not send conversion events; they stay queued/),
      expect.stringMatching(/^warn: The conversion events queue is full \(events.maxQueue = 2500 events, events.maxQueueBytes = 8388608 bytes\)/),
    ]);
    const dropped = h.emitted.filter((e) => e.type === "events-dropped");
    expect(dropped.reduce((sum, e) => sum + (e.type === "events-dropped" ? e.count : 0), 0)).toBe(7_500);
    expect(new Set(dropped.map((e) => (e.type === "events-dropped" ? e.reason : "")))).toEqual(new Set(["queue-full"]));

    suite.server = await startTestServer({ port });
    await h.net.advanceUntil(() => suite.server.received.events.length === 2_500, { stepMs: 1_000, maxMs: 60_000, what: "delivery after recovery" });
    expect(values()).toEqual(range(7_500, 10_000));
    expect(events.stats()).toEqual({ queued: 0, sent: 2_500, dropped: 7_500, invalid: 0, stopped: false });
    expect(h.loud()).toHaveLength(2);
  });

  it("sends nothing while the circuit is open or half-open, and sends once it is closed", async () => {
    const h = harness();
    const events = h.eventSender();
    for (let i = 0; i < 5; i++) h.breaker.recordFailure();
    expect(h.breaker.getState()).toBe("open");
    for (let i = 0; i < 150; i++) events.track(purchase(i));
    await events.flush();
    await h.net.advance(29_000, 1_000);
    expect(suite.server.received.requests).toEqual([]);
    await h.net.advance(1_000, 1_000);
    expect(h.breaker.getState()).toBe("half-open");
    await events.flush();
    expect(suite.server.received.requests).toEqual([]);
    // The circuit is reset (a flag fetch's probe succeeded): the next interval delivers everything.
    h.breaker.reset();
    await h.net.advance(30_000, 1_000);
    await suite.server.waitFor(() => suite.server.received.events.length === 150);
    expect(values()).toEqual(range(0, 150));
    expect(h.loud()).toEqual([]);
  });

  it("does not count its successes for the breaker: a flags endpoint failing stays failing", async () => {
    const h = harness();
    const events = h.eventSender();
    for (let i = 0; i < 4; i++) h.breaker.recordFailure();
    events.track(purchase(1));
    await events.flush();
    expect(values()).toEqual([1]);
    // One more flag failure is the fifth consecutive one: the events success did not reset the count.
    h.breaker.recordFailure();
    expect(h.breaker.getState()).toBe("open");
  });

  it("drops a batch refused with a 4xx (one warning) and goes on with the next, in order", async () => {
    const scripted = await startScriptedServer([{ status: 200 }, { status: 400 }]);
    suite.cleanup(() => scripted.close());
    const h = harness(scripted.url, "k");
    const events = h.eventSender({ maxBatch: 2 });
    for (let i = 0; i < 6; i++) events.track(purchase(i));
    await events.flush();
    const batches = scripted.bodies().map((b) => (b as { events: ConversionEvent[] }).events.map((e) => e.value));
    expect(batches).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(events.stats()).toEqual({ queued: 0, sent: 4, dropped: 2, invalid: 0, stopped: false });
    expect(h.loud()).toEqual([expect.stringMatching(/^warn: Rollgate refused a batch of 2 conversion events, which were dropped.*HTTP 400/)]);
    expect(h.emitted.map((e) => e.type)).toEqual(["events-sent", "error", "events-dropped", "events-sent"]);
  });

  it("retries a 5xx with backoff and delivers in the same flush", async () => {
    const scripted = await startScriptedServer([{ status: 503 }, { status: 502 }]);
    suite.cleanup(() => scripted.close());
    const h = harness(scripted.url, "k");
    const events = h.eventSender();
    events.track(purchase(1));
    const flushed = events.flush();
    await h.net.advance(2_000, 50);
    await flushed;
    expect(scripted.received).toHaveLength(3);
    expect(events.stats()).toMatchObject({ queued: 0, sent: 1, dropped: 0 });
    expect(h.loud()).toEqual([]);
  });

  it("waits out a Retry-After before every send, then delivers", async () => {
    const tooMany = { status: 429, headers: { "retry-after": "100" } };
    const scripted = await startScriptedServer([tooMany, tooMany, tooMany, tooMany]);
    suite.cleanup(() => scripted.close());
    const h = harness(scripted.url, "k");
    const events = h.eventSender();
    events.track(purchase(1));
    const flushed = events.flush();
    await h.net.advance(10_000, 1_000);
    await flushed;
    // A Retry-After longer than any backoff ends the attempt at once; the sender waits it out.
    await events.flush();
    await h.net.advanceUntil(() => events.stats().sent === 1, { stepMs: 1_000, maxMs: 1_000_000, what: "delivery after Retry-After" });
    const attempts = h.net.sent.map((r) => r.at);
    expect(attempts).toHaveLength(5);
    for (let i = 1; i < attempts.length; i++) expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(100_000);
    expect(events.stats()).toMatchObject({ queued: 0, sent: 1, dropped: 0 });
  });

  it("stops for good when the key is refused (401): the queue is dropped, later events too", async () => {
    const h = harness(suite.server.url, "wrong-key");
    const events = h.eventSender();
    for (let i = 0; i < 3; i++) events.track(purchase(i));
    await events.flush();
    // The suite.server counts refused requests without recording them.
    expect(suite.server.received.unauthenticated).toBe(1);
    expect(events.track(purchase(4))).toBe(false);
    await events.flush();
    await h.net.advance(300_000, 10_000);
    expect(suite.server.received.unauthenticated).toBe(1);
    expect(eventPosts(suite.server)).toHaveLength(0);
    expect(events.stats()).toEqual({ queued: 0, sent: 0, dropped: 4, invalid: 0, stopped: true });
    expect(h.loud()).toEqual([
      expect.stringMatching(/^error: Rollgate refused the API key for conversion events; no more events will be sent/),
      expect.stringMatching(/^warn: track\(\) was called after Rollgate refused the API key/),
    ]);
  });

  it("drops invalid input with one warning per faulty field, never throwing", async () => {
    const h = harness();
    const events = h.eventSender();
    const bad: unknown[] = [{ ...purchase(1), value: Number.NaN }, { ...purchase(2), value: Infinity }, { ...purchase(3), userId: "" }, null, "purchase"];
    for (const input of bad) expect(events.track(input as never)).toBe(false);
    expect(events.track(purchase(9))).toBe(true);
    await events.flush();
    expect(values()).toEqual([9]);
    expect(events.stats()).toMatchObject({ invalid: 5, dropped: 0, sent: 1 });
    expect(h.loud()).toEqual([
      "warn: track() dropped an event: expected value to be a finite number when given. Further events with this problem are dropped silently (counted in getStatus().events.invalid).",
      expect.stringMatching(/^warn: track\(\) dropped an event: expected userId to be a non-empty string/),
      expect.stringMatching(/^warn: track\(\) dropped an event: expected the event to be an object/),
    ]);
  });

  it("close() sends what is queued, leaves no timer, and drops later events", async () => {
    const h = harness();
    const events = h.eventSender({ maxBatch: 40 });
    for (let i = 0; i < 100; i++) events.track(purchase(i));
    await events.close();
    expect(values()).toEqual(range(0, 100));
    expect(h.clock.pendingTimers).toBe(0);
    expect(events.track(purchase(100))).toBe(false);
    await events.flush();
    await events.close();
    expect(events.stats()).toEqual({ queued: 0, sent: 100, dropped: 1, invalid: 0, stopped: false });
  });

  it("close() gives up after the timeout on a suite.server that never answers, dropping what is left with a warning", async () => {
    const scripted = await startScriptedServer(["hang"]);
    suite.cleanup(() => scripted.close());
    const h = harness(scripted.url, "k");
    const events = h.eventSender();
    for (let i = 0; i < 3; i++) events.track(purchase(i));
    let closed = false;
    const closing = events.close().then(() => (closed = true));
    await h.net.advance(4_000, 1_000, 50);
    expect(closed).toBe(false);
    await h.net.advance(1_000, 1_000, 50);
    await closing;
    expect(h.clock.pendingTimers).toBe(0);
    expect(events.stats()).toMatchObject({ queued: 0, sent: 0, dropped: 3 });
    expect(h.loud()).toEqual([expect.stringMatching(/^warn: close\(\) could not send 3 conversion events/)]);
  });

  it("close() during an outage cancels the backoff wait and returns at once, with nothing sent", async () => {
    const port = suite.server.port;
    await suite.server.close();
    const h = harness(`http://127.0.0.1:${port}`, "k");
    const events = h.eventSender();
    events.track(purchase(1));
    void events.flush();
    await h.net.quiesce();
    await events.close();
    expect(h.clock.pendingTimers).toBe(0);
    expect(events.stats()).toMatchObject({ queued: 0, dropped: 1 });
    suite.server = await startTestServer();
  });
});
