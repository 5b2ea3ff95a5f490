import { useDeliverySuite } from "../support/delivery-harness";
import { startScriptedServer } from "../support/scripted-server";

/**
 * close()'s budget cutting its final pass short, and a flush() during close() (issue 25: each fails on a mutant of
 * src/events/event-sender.ts that survived the rest of the suite). Against a server on 127.0.0.1,
 * in virtual time.
 */

const suite = useDeliverySuite();
const purchase = (i: number) => ({ flagKey: "checkout-redesign", eventName: "purchase", userId: "user-1", value: i });

describe("EventSender.close() past its budget", () => {
  it("sends no further batch once the timeout has passed: the batch cut off and the rest are dropped", async () => {
    // The first batch is answered after a while; the second never is.
    const server = await startScriptedServer([{ status: 200, delayMs: 200 }, "hang"]);
    suite.cleanup(() => server.close());
    const h = suite.harness(server.url, "k");
    const events = h.eventSender({ maxBatch: 1 });
    // Queued while the circuit is open, so that nothing leaves before close().
    for (let i = 0; i < 5; i++) h.breaker.recordFailure();
    for (let i = 0; i < 3; i++) events.track(purchase(i));
    await h.net.quiesce();
    h.breaker.reset();
    let closed = false;
    const closing = events.close().then(() => (closed = true));
    // The final pass starts and sends the first batch (which is answered 200 ms later, real time).
    for (let i = 0; i < 100 && h.net.sent.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    // 3 s pass while the first batch is on its way: the second leaves at 3 s, 2 s before the budget ends.
    h.clock.advanceBy(3_000);
    await h.net.quiesce();
    expect(h.net.sent.map((r) => r.at)).toEqual([0, 3_000]);
    await h.net.advance(2_000, 1_000, 50);
    await closing;
    expect(closed).toBe(true);
    await h.net.advance(10_000, 1_000, 50);
    expect(server.received).toHaveLength(2);
    expect(events.stats()).toMatchObject({ queued: 0, sent: 1, dropped: 2 });
    expect(h.loud()).toEqual([expect.stringMatching(/^warn: close\(\) could not send 2 conversion events/)]);
  });

  it("resolves a flush() called while close() drains together with close(): not before its budget ends, and not after close()", async () => {
    const server = await startScriptedServer(["hang"]);
    suite.cleanup(() => server.close());
    const h = suite.harness(server.url, "k");
    const events = h.eventSender();
    for (let i = 0; i < 3; i++) events.track(purchase(i));
    const closing = events.close();
    const flushing = events.flush();
    let flushed = false;
    // Whichever settles first; the flush's callback is registered first, so it wins a tie.
    const first = Promise.race([
      flushing.then(() => {
        flushed = true;
        return "flush";
      }),
      closing.then(() => "close"),
    ]);
    await h.net.advance(4_000, 1_000, 50);
    expect(flushed).toBe(false);
    await h.net.advance(1_000, 1_000, 50);
    expect(await first).toBe("flush");
    // What close() did is done when the flush resolves: the events it could not send are dropped.
    expect(events.stats()).toMatchObject({ queued: 0, sent: 0, dropped: 3 });
  });
});
