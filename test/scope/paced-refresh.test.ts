import type { RollgateUser } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import type { VirtualNetwork } from "../support/virtual-network";
import { PacedRefresh } from "../../src/scope/paced-refresh";

/**
 * The paced refetch of users with live `flag$` subscribers after a change, in the cases the
 * pacing test does not reach: a change announced while a pass runs, a pass with nobody to
 * refetch, and a refetch that fails (issue 25: each test fails on a mutant of
 * src/scope/paced-refresh.ts that survived the rest of the suite).
 */

const LIVE: RollgateUser = { id: "live" };

function requestsFor(net: VirtualNetwork, id: string): number {
  return net.flagRequests.filter((r) => r.query["user_id"] === id).length;
}

/** Lets a pass that follows another start and its requests end. */
async function settled(net: VirtualNetwork): Promise<void> {
  for (let i = 0; i < 3; i++) await net.quiesce();
}

describe("forUser: live users refetched after a change", () => {
  const suite = useClientSuite();

  it("refetches a live user again after a pass when a change was announced during it", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 3_600 });
    await client.init();
    // A change with nobody subscribed: a pass with nothing to do.
    await client.refresh();
    const view = await client.forUser(LIVE);
    const subscription = view.isEnabled$("new-feature", false).subscribe();
    const before = requestsFor(net, LIVE.id);

    suite.server.faults.delay(100, { count: "all" });
    // The second change is announced while the first pass's refetch is in flight: its answer may
    // predate it, so the user is refetched once more when the pass ends.
    await Promise.all([client.refresh(), client.refresh()]);
    await settled(net);
    expect(requestsFor(net, LIVE.id)).toBe(before + 2);

    // Fresh now: the next change refetches once.
    suite.server.faults.clear();
    await client.refresh();
    await settled(net);
    expect(requestsFor(net, LIVE.id)).toBe(before + 3);
    subscription.unsubscribe();
  });

  it("does not retry a live user's failed refetch until the next change or poll", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 3_600, retry: { maxRetries: 0 } });
    await client.init();
    const view = await client.forUser(LIVE);
    const subscription = view.isEnabled$("new-feature", false).subscribe();
    const before = requestsFor(net, LIVE.id);
    suite.server.faults.failFlags({ status: 503, count: "all" });
    await client.refresh();
    await settled(net);
    expect(requestsFor(net, LIVE.id)).toBe(before + 1);
    expect(view.stale).toBe(true);
    subscription.unsubscribe();
  });
});

describe("PacedRefresh", () => {
  /** A fetch whose calls stay pending until the test ends them. */
  function pendingFetch() {
    const started: string[] = [];
    const ends: (() => void)[] = [];
    const fetch = (item: string) =>
      new Promise<void>((resolve) => {
        started.push(item);
        ends.push(resolve);
      });
    const endAll = async () => {
      for (const end of ends.splice(0)) end();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    return { started, fetch, endAll };
  }

  it("fetches four items at once and the next as each ends", async () => {
    const { started, fetch, endAll } = pendingFetch();
    const paced = new PacedRefresh(() => ["a", "b", "c", "d", "e", "f"], fetch);
    paced.request();
    expect(started).toEqual(["a", "b", "c", "d"]);
    await endAll();
    expect(started).toEqual(["a", "b", "c", "d", "e", "f"]);
    paced.close();
  });

  it("stops the running pass on close(): items not yet started are never fetched, and request() starts nothing", async () => {
    const { started, fetch, endAll } = pendingFetch();
    const paced = new PacedRefresh(() => ["a", "b", "c", "d", "e", "f"], fetch);
    paced.request();
    paced.close();
    await endAll();
    expect(started).toEqual(["a", "b", "c", "d"]);
    paced.request();
    await endAll();
    expect(started).toEqual(["a", "b", "c", "d"]);
  });

  it("starts nothing on request() after close(), also when no pass was running", () => {
    const { started, fetch } = pendingFetch();
    const paced = new PacedRefresh(() => ["a", "b"], fetch);
    paced.close();
    paced.request();
    expect(started).toEqual([]);
  });

  it("runs one more pass for any number of requests made during a pass, then stops", async () => {
    const { started, fetch, endAll } = pendingFetch();
    const paced = new PacedRefresh(() => ["a"], fetch);
    paced.request();
    paced.request();
    paced.request();
    expect(started).toEqual(["a"]);
    await endAll();
    expect(started).toEqual(["a", "a"]);
    await endAll();
    await endAll();
    expect(started).toEqual(["a", "a"]);
    paced.close();
  });
});
