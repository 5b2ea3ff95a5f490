import type { RollgateUser } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import type { VirtualNetwork } from "../support/virtual-network";

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
