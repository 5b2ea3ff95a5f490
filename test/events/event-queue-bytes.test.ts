import { useDeliverySuite } from "../support/delivery-harness";
import { startTestServer } from "../support/test-client";

/**
 * The events queue is bounded in bytes as well as in count: while Rollgate cannot be reached,
 * events with large metadata must not fill memory up to `maxQueue` of them (10,000 events of
 * 8 KiB metadata would keep about 85 MB).
 */

const suite = useDeliverySuite();

/** An event whose metadata serialises to about `kib` KiB. */
const heavy = (i: number, kib = 6) => ({ flagKey: "checkout-redesign", eventName: "purchase", userId: "user-1", value: i, metadata: { note: "x".repeat(kib * 1024 - 20) } });

describe("the events queue's byte bound (events.maxQueueBytes)", () => {
  it("keeps the newest events within maxQueueBytes through an outage, counts the rest as dropped, and delivers what it kept", async () => {
    const port = suite.server.port;
    const h = suite.harness();
    // 64 KiB hold 10 events of about 6.1 KiB each as sent; maxQueue (1,000) never binds here.
    const events = h.eventSender({ maxQueue: 1_000, maxQueueBytes: 64 * 1024 });
    await suite.server.close();
    for (let i = 0; i < 100; i++) expect(events.track(heavy(i))).toBe(true);
    await h.net.advance(60_000, 1_000);
    const { queued, dropped } = events.stats();
    expect(queued).toBe(10);
    expect(dropped).toBe(90);
    expect(h.loud()).toContainEqual(expect.stringMatching(/^warn: The conversion events queue is full \(events.maxQueue = 1000 events, events.maxQueueBytes = 65536 bytes\)/));

    suite.server = await startTestServer({ port });
    await h.net.advanceUntil(() => suite.server.received.events.length === 10, { stepMs: 1_000, maxMs: 60_000, what: "delivery after recovery" });
    expect(suite.server.received.events.map((e) => e.value)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(events.stats()).toMatchObject({ queued: 0, sent: 10, dropped: 90 });
  });

  it("lets small events fill the queue up to maxQueue under the default byte bound", async () => {
    await suite.server.close();
    const h = suite.harness();
    const events = h.eventSender({ maxQueue: 2_000 });
    for (let i = 0; i < 2_500; i++) events.track({ flagKey: "checkout-redesign", eventName: "purchase", userId: "user-1", value: i });
    expect(events.stats()).toMatchObject({ queued: 2_000, dropped: 500 });
  });
});
