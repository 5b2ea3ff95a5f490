import type { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { MAX_EVENTS_BODY_BYTES } from "../../src/events/event-options";
import { clientFor, RecordingLogger, startTestServer } from "../support/test-client";
import { VirtualNetwork } from "../support/virtual-network";

/**
 * Conversion events are batched in bytes as well as in count (issue 22.4), through the client,
 * against the local server with its body limit (1 MiB by default, lower here and there): no batch
 * over the bound, a batch refused with 413 split and sent again, and only an event that is too
 * large on its own dropped.
 */
describe("event batches bounded in bytes", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function setUp(maxBodyBytes?: number): Promise<{ server: RollgateServer; client: RollgateClient; logger: RecordingLogger }> {
    const server = await startTestServer(maxBodyBytes === undefined ? {} : { maxBodyBytes });
    closers.push(() => server.close());
    const net = new VirtualNetwork();
    const logger = new RecordingLogger();
    // maxBatch 10,000: the byte bound, not the count, decides here.
    const client = clientFor(server, { scheduler: net.scheduler, dispatcher: net.dispatcher, logger, events: { maxBatch: 10_000 } });
    closers.push(async () => {
      await client.close();
      await net.close();
    });
    await client.init();
    return { server, client, logger };
  }

  const event = (i: number, metadata?: Record<string, string>) => ({ flagKey: "new-feature", eventName: "purchase", userId: `user-${i}`, value: i, ...(metadata ? { metadata } : {}) });
  const eventPosts = (server: RollgateServer) => server.received.requests.filter((r) => r.path === "/api/v1/sdk/events");
  const values = (server: RollgateServer) => server.received.events.map((e) => e.value);
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it("keeps every request within 512 KiB: 200 events with 8 KiB of metadata each reach a server that refuses more", async () => {
    const { server, client } = await setUp(MAX_EVENTS_BODY_BYTES);
    const blob = "x".repeat(8 * 1024 - JSON.stringify({ blob: "" }).length);
    for (let i = 0; i < 200; i++) expect(client.track(event(i, { blob }))).toBe(true);
    await client.flushEvents();
    expect(values(server)).toEqual(range(200));
    const posts = eventPosts(server);
    expect(posts.map((r) => r.status)).toEqual(posts.map(() => 200));
    expect(posts.length).toBeGreaterThanOrEqual(4);
    expect(client.getStatus().events).toMatchObject({ sent: 200, dropped: 0, queued: 0 });
  });

  it("splits a batch the server refuses with 413 and delivers every event, in order", async () => {
    const { server, client, logger } = await setUp(64 * 1024);
    const note = "n".repeat(1_000);
    for (let i = 0; i < 100; i++) client.track(event(i, { note }));
    await client.flushEvents();
    expect(values(server)).toEqual(range(100));
    expect(eventPosts(server)[0]!.status).toBe(413);
    expect(client.getStatus().events).toMatchObject({ sent: 100, dropped: 0, queued: 0 });
    expect(logger.messages.filter((m) => m.level === "warn")).toHaveLength(1);
    // The bound stays where the server put it: the next batch goes out whole.
    for (let i = 100; i < 140; i++) client.track(event(i, { note }));
    const before = eventPosts(server).length;
    await client.flushEvents();
    expect(eventPosts(server).slice(before).map((r) => r.status)).toEqual([200]);
  });

  it("drops only an event that is too large on its own, counted, with one warning", async () => {
    const { server, client, logger } = await setUp(4 * 1024);
    for (let i = 0; i < 5; i++) client.track(event(i));
    client.track(event(5, { blob: "b".repeat(6 * 1024) }));
    for (let i = 6; i < 11; i++) client.track(event(i));
    await client.flushEvents();
    expect(values(server)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10]);
    expect(client.getStatus().events).toMatchObject({ sent: 10, dropped: 1, queued: 0 });
    const warnings = logger.messages.filter((m) => m.level === "warn").map((m) => m.message);
    expect(warnings.filter((m) => m.includes("on its own"))).toHaveLength(1);
  });

  it("measures metadata in UTF-8 bytes: 3,000 characters of '€' (9,000 bytes) are over the 8 KiB limit", async () => {
    const { client } = await setUp();
    expect(client.track(event(1, { note: "€".repeat(3_000) }))).toBe(false);
    expect(client.track(event(2, { note: "€".repeat(2_700) }))).toBe(true);
    expect(client.getStatus().events).toMatchObject({ invalid: 1, queued: 1 });
  });
});
