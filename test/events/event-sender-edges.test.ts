import { EventSender } from "../../src/events/event-sender";
import { MAX_EVENTS_BODY_BYTES, resolveEventsOptions, type EventsOptions, type ResolvedEventsOptions } from "../../src/events/event-options";
import type { Logger } from "../../src/logger/logger";
import type { ConversionEvent } from "../../src/transport/delivery-bodies";
import { useDeliverySuite } from "../support/delivery-harness";
import { startScriptedServer, type ScriptedReply } from "../support/scripted-server";

/**
 * The event sender's edges that the main suite does not pin down (issue 25: each test fails on a
 * mutant of src/events/event-sender.ts that survived it): the exact byte bound of a request body,
 * what a 413 warning says, when a full batch leaves at once, the exact end of a Retry-After, what
 * close() and a refused key count and say, and a logger that throws. Against a server on
 * 127.0.0.1, in virtual time.
 */

const suite = useDeliverySuite();

/** `{"events":[` and `]}`: what a request body adds around its events. */
const WRAPPER = '{"events":[]}'.length;

const purchase = (i: number, userId = "user-1") => ({ flagKey: "checkout-redesign", eventName: "purchase", userId, value: i });

/** Lets requests that follow one another end, and the sender's callbacks run. */
async function settled(h: ReturnType<typeof suite.harness>): Promise<void> {
  for (let i = 0; i < 3; i++) await h.net.quiesce();
}

/** A logger that keeps each message's metadata too. */
class MetaLogger implements Logger {
  readonly messages: { level: string; message: string; meta: Record<string, unknown> | undefined }[] = [];
  debug(message: string, meta?: Record<string, unknown>): void {
    this.messages.push({ level: "debug", message, meta });
  }
  info(message: string, meta?: Record<string, unknown>): void {
    this.messages.push({ level: "info", message, meta });
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    this.messages.push({ level: "warn", message, meta });
  }
  error(message: string, meta?: Record<string, unknown>): void {
    this.messages.push({ level: "error", message, meta });
  }
  loud(): { level: string; message: string; meta: Record<string, unknown> | undefined }[] {
    return this.messages.filter((m) => m.level === "warn" || m.level === "error");
  }
}

async function scripted(script: readonly ScriptedReply[], fallback?: ScriptedReply) {
  const server = await startScriptedServer(script, fallback);
  suite.cleanup(() => server.close());
  return server;
}

/** A sender on the harness's transport, breaker and clock, with `logger` instead of the harness's. */
function senderWith(h: ReturnType<typeof suite.harness>, logger: Logger, options: EventsOptions = {}): EventSender {
  const sender = new EventSender({
    options: resolveEventsOptions(options) as ResolvedEventsOptions,
    transport: h.transport,
    breaker: h.breaker,
    requestOptions: h.requestOptions,
    logger,
    emit: (event) => h.emitted.push(event),
  });
  suite.cleanup(() => sender.close());
  return sender;
}

describe("EventSender: a request body is at most 512 KiB, to the byte", () => {
  /**
   * Events whose request body, all in one batch, is exactly `MAX_EVENTS_BODY_BYTES + extra`
   * bytes: 70 events with metadata of the same size, the last one a few bytes larger.
   */
  async function eventsOfBody(extra: number): Promise<{ server: Awaited<ReturnType<typeof scripted>>; events: EventSender; count: number }> {
    const server = await scripted([]);
    const h = suite.harness(server.url, "k");
    const events = h.eventSender();
    // One event with an empty blob measures the size of the rest of an event on the wire.
    const withBlob = (i: number, length: number) => ({ ...purchase(1), metadata: { blob: "x".repeat(length) }, userId: `user-${i}` });
    events.track(withBlob(99, 0));
    await events.flush();
    const base = server.received[0]!.body.length - WRAPPER;
    const count = 70;
    // Each event weighs its bytes plus a comma; the body is WRAPPER - 1 + count * (event + 1).
    const blob = Math.floor((MAX_EVENTS_BODY_BYTES - WRAPPER + 1) / count) - 1 - base;
    const short = MAX_EVENTS_BODY_BYTES + extra - (WRAPPER - 1 + count * (base + blob + 1));
    // userId user-10..user-79: all of one length.
    for (let i = 0; i < count; i++) expect(events.track(withBlob(10 + i, i === count - 1 ? blob + short : blob))).toBe(true);
    await events.flush();
    return { server, events, count };
  }

  it("sends a batch whose body is exactly 512 KiB in one request", async () => {
    const { server, events, count } = await eventsOfBody(0);
    const posts = server.received.slice(1);
    expect(posts.map((r) => Buffer.byteLength(r.body))).toEqual([MAX_EVENTS_BODY_BYTES]);
    expect(events.stats()).toMatchObject({ sent: count + 1, queued: 0, dropped: 0 });
  });

  it("splits a batch one byte over 512 KiB into two requests, each within the bound, in order", async () => {
    const { server, events, count } = await eventsOfBody(1);
    const posts = server.received.slice(1);
    expect(posts).toHaveLength(2);
    for (const post of posts) expect(Buffer.byteLength(post.body)).toBeLessThanOrEqual(MAX_EVENTS_BODY_BYTES);
    const users = posts.flatMap((r) => (JSON.parse(r.body) as { events: ConversionEvent[] }).events.map((e) => e.userId));
    expect(users).toEqual(Array.from({ length: count }, (_, i) => `user-${10 + i}`));
    expect(events.stats()).toMatchObject({ sent: count + 1, queued: 0, dropped: 0 });
  });

  it("says how large the batch refused with 413 was, and sends the rest in bodies of at most half of it", async () => {
    const server = await scripted([{ status: 413 }]);
    const h = suite.harness(server.url, "k");
    const events = h.eventSender();
    for (let i = 0; i < 4; i++) events.track(purchase(i));
    await events.flush();
    const refused = Buffer.byteLength(server.received[0]!.body);
    const half = Math.floor(refused / 2);
    expect(h.loud()).toEqual([
      `warn: Rollgate refused a batch of 4 conversion events (${refused} bytes) as too large (HTTP 413); sending them again in smaller batches, of at most ${half} bytes from now on.`,
    ]);
    const later = server.received.slice(1);
    expect(later.length).toBeGreaterThan(1);
    for (const post of later) expect(Buffer.byteLength(post.body)).toBeLessThanOrEqual(half);
    expect(events.stats()).toMatchObject({ sent: 4, dropped: 0, queued: 0 });
  });
});

describe("EventSender: when a batch leaves", () => {
  it("sends a full batch at once, also after a flush() and after an interval", async () => {
    const h = suite.harness();
    const events = h.eventSender({ maxBatch: 1, flushInterval: 10 });
    events.track(purchase(1));
    await h.net.quiesce();
    expect(h.net.sent.map((r) => r.at)).toEqual([0]);
    await events.flush();
    events.track(purchase(2));
    await h.net.quiesce();
    expect(h.net.sent.map((r) => r.at)).toEqual([0, 0]);
    // An interval passes with nothing to send; the next full batch still leaves at once.
    await h.net.advance(10_500, 500);
    events.track(purchase(3));
    await h.net.quiesce();
    expect(h.net.sent.map((r) => r.at)).toEqual([0, 0, 10_500]);
    expect(suite.server.received.events.map((e) => e.value)).toEqual([1, 2, 3]);
  });

  it("goes on with the next batch at once after one refused with a 4xx", async () => {
    const server = await scripted([{ status: 400 }]);
    const h = suite.harness(server.url, "k");
    const events = h.eventSender({ maxBatch: 2 });
    for (let i = 0; i < 6; i++) events.track(purchase(i));
    await settled(h);
    // No interval, no flush(): the pass that dropped the first batch sent the other two.
    expect(h.net.sent.map((r) => r.at)).toEqual([0, 0, 0]);
    expect(events.stats()).toMatchObject({ sent: 4, dropped: 2, queued: 0 });
  });

  it("sends again at exactly the end of a Retry-After, not an interval later", async () => {
    const server = await scripted([{ status: 429, headers: { "retry-after": "100" } }]);
    const h = suite.harness(server.url, "k");
    const events = h.eventSender({ flushInterval: 10 });
    events.track(purchase(1));
    await events.flush();
    expect(events.stats()).toMatchObject({ sent: 0, queued: 1 });
    await h.net.advance(99_000, 1_000);
    expect(h.net.sent.map((r) => r.at)).toEqual([0]);
    await h.net.advance(1_000, 1_000);
    expect(h.net.sent.map((r) => r.at)).toEqual([0, 100_000]);
    expect(events.stats()).toMatchObject({ sent: 1, queued: 0 });
  });
});

describe("EventSender: close() and a refused key", () => {
  it("close() with everything delivered warns of nothing and drops nothing", async () => {
    const h = suite.harness();
    const events = h.eventSender();
    for (let i = 0; i < 3; i++) events.track(purchase(i));
    await events.close();
    expect(events.stats()).toEqual({ queued: 0, sent: 3, dropped: 0, invalid: 0, stopped: false });
    expect(h.loud()).toEqual([]);
    expect(h.emitted.map((e) => e.type)).toEqual(["events-sent"]);
  });

  it("close() sends no batch after its timeout: the rest is dropped, not sent late", async () => {
    const server = await scripted([], "hang");
    const h = suite.harness(server.url, "k");
    const events = h.eventSender({ maxBatch: 1 });
    let closed = false;
    // Queued while the circuit is open, so that nothing leaves before close().
    for (let i = 0; i < 5; i++) h.breaker.recordFailure();
    for (let i = 0; i < 3; i++) events.track(purchase(i));
    await h.net.quiesce();
    h.breaker.reset();
    const closing = events.close().then(() => (closed = true));
    await h.net.advance(5_000, 1_000, 50);
    await h.net.advance(10_000, 1_000, 50);
    await closing;
    expect(closed).toBe(true);
    expect(server.received).toHaveLength(1);
    expect(events.stats()).toMatchObject({ queued: 0, sent: 0, dropped: 3 });
  });

  it("warns once that track() came after a refused key and once that it came after close()", async () => {
    const h = suite.harness(suite.server.url, "wrong-key");
    const events = h.eventSender({ maxBatch: 1 });
    for (let i = 0; i < 3; i++) events.track(purchase(i));
    await events.flush();
    expect(events.track(purchase(3))).toBe(false);
    await events.close();
    expect(events.track(purchase(4))).toBe(false);
    expect(events.track(purchase(5))).toBe(false);
    expect(h.loud()).toEqual([
      expect.stringMatching(/^error: Rollgate refused the API key for conversion events/),
      "warn: track() was called after Rollgate refused the API key; the event was dropped.",
      "warn: track() was called after close(); the event was dropped.",
    ]);
    // The whole queue counts as dropped with the refused batch: 3, then one per later track().
    expect(events.stats()).toEqual({ queued: 0, sent: 0, dropped: 6, invalid: 0, stopped: true });
  });

  it("gives the error code with the warning of a refused batch and with the error of a refused key", async () => {
    const server = await scripted([{ status: 400 }, { status: 403 }]);
    const h = suite.harness(server.url, "k");
    const logger = new MetaLogger();
    const events = senderWith(h, logger, { maxBatch: 1 });
    events.track(purchase(1));
    events.track(purchase(2));
    await events.flush();
    expect(logger.loud().map((m) => [m.level, m.meta])).toEqual([
      ["warn", { code: expect.any(String) }],
      ["error", { code: "AUTH_FAILED" }],
    ]);
    expect(logger.loud()[0]!.meta!["code"]).not.toBe("AUTH_FAILED");
  });
});

describe("EventSender: a logger that throws", () => {
  it("logs that sending failed unexpectedly, goes on with later batches, and rejects nothing", async () => {
    const server = await scripted([{ status: 400 }]);
    const h = suite.harness(server.url, "k");
    const logger = new MetaLogger();
    const warn = logger.warn.bind(logger);
    logger.warn = (message, meta) => {
      warn(message, meta);
      throw new Error("the logger broke");
    };
    const events = senderWith(h, logger, { maxBatch: 1 });
    events.track(purchase(1));
    await events.flush();
    expect(logger.messages.filter((m) => m.level === "error")).toEqual([
      { level: "error", message: "Sending conversion events failed unexpectedly.", meta: { error: "Error: the logger broke" } },
    ]);
    events.track(purchase(2));
    await events.flush();
    expect(server.received).toHaveLength(2);
    expect(events.stats()).toMatchObject({ sent: 1, queued: 0 });
  });
});

describe("EventSender: passes that wait behind a send", () => {
  it("keeps at most one interval's pass waiting behind a send: flush() during a long outage is not held up by one pass per interval", async () => {
    const server = await scripted([], "hang");
    const h = suite.harness(server.url, "k");
    // Each cycle against a server that never answers takes four 5 s timeouts: twenty intervals.
    const events = h.eventSender({ flushInterval: 1 });
    events.track(purchase(1));
    await h.net.advance(30_000, 1_000, 50);
    let flushed = false;
    const flushing = events.flush().then(() => (flushed = true));
    // The cycle under way, the one interval's pass waiting, then this flush's own cycle.
    await h.net.advance(80_000, 1_000, 50);
    expect(flushed).toBe(true);
    await flushing;
    const closing = events.close();
    await h.net.advance(5_000, 1_000, 50);
    await closing;
    expect(events.stats()).toMatchObject({ sent: 0, dropped: 1 });
  });

  it("makes a new attempt for each flush() call, even one made while the previous one waits", async () => {
    const server = await scripted([], { status: 503 });
    const h = suite.harness(server.url, "k");
    const events = h.eventSender();
    events.track(purchase(1));
    const first = events.flush();
    const second = events.flush();
    await h.net.advance(5_000, 100);
    await Promise.all([first, second]);
    // Two cycles of four attempts (maxRetries 3).
    expect(server.received).toHaveLength(8);
    expect(events.stats()).toMatchObject({ sent: 0, queued: 1 });
  });

  it("keeps a batch whose send failed because the transport was closed, without an outage warning", async () => {
    const h = suite.harness();
    const events = h.eventSender();
    await h.transport.close();
    events.track(purchase(1));
    await events.flush();
    expect(events.stats()).toMatchObject({ sent: 0, queued: 1, dropped: 0 });
    expect(h.loud()).toEqual([]);
  });
});
