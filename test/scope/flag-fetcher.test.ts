import { useClientSuite } from "../support/client-suite";
import type { VirtualNetwork } from "../support/virtual-network";

/**
 * One fetch in flight per user generation, as a user of the client sees it: concurrent callers
 * share a request, the next caller after it settled sends a new one, and a new user cancels the
 * old user's fetch (issue 25: each test fails on a mutant of src/scope/flag-fetcher.ts that
 * survived the rest of the suite).
 */

/** Flag requests for the client's own user (no user_id, or `id`). */
function requestsFor(net: VirtualNetwork, id: string | undefined): number {
  return net.flagRequests.filter((r) => r.query["user_id"] === id).length;
}

describe("the client's fetches: one in flight", () => {
  const suite = useClientSuite();

  it("answers concurrent refresh() calls with one request, and the next refresh() with a new one", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 0 });
    await client.init();
    const before = requestsFor(net, undefined);
    suite.server.faults.delay(50, { count: 1 });
    await Promise.all([client.refresh(), client.refresh(), client.refresh()]);
    expect(requestsFor(net, undefined)).toBe(before + 1);
    await client.refresh();
    expect(requestsFor(net, undefined)).toBe(before + 2);
  });

  it("lets identify() cancel the previous user's fetch: that user's flags are never applied, the new user's are", async () => {
    const { client, net } = suite.virtual({ user: { id: "first" }, refreshInterval: 0 });
    await client.init();
    suite.server.faults.delay(200, { count: 1 });
    const refreshing = client.refresh();
    const switching = client.identify({ id: "second", attributes: { plan: "pro" } });
    await Promise.all([refreshing, switching]);
    await net.quiesce();
    expect(client.getString("theme", "none")).toBe("dark");
    expect(client.getStatus()).toMatchObject({ source: "server", stale: false });
    expect(requestsFor(net, "second")).toBe(1);
  });

  it("settles the previous user's refresh() as soon as identify() starts, without waiting for its answer", async () => {
    const { client } = suite.virtual({ user: { id: "first" }, refreshInterval: 0 });
    await client.init();
    // The first user's answer takes a second (real time); the new user's comes at once.
    suite.server.faults.delay(1_000, { count: 1 });
    let refreshed = false;
    const refreshing = client.refresh().then(() => (refreshed = true));
    await client.identify({ id: "second", attributes: { plan: "pro" } });
    expect(refreshed).toBe(true);
    await refreshing;
    expect(client.getString("theme", "none")).toBe("dark");
  });

  it("settles a failed fetch: refresh() ends, the flags are stale, and the next refresh() sends a new request", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 0, retry: { maxRetries: 0 } });
    await client.init();
    const before = requestsFor(net, undefined);
    suite.server.faults.failFlags({ status: 503, count: 1 });
    await client.refresh();
    expect(requestsFor(net, undefined)).toBe(before + 1);
    expect(client.getStatus()).toMatchObject({ stale: true });
    await client.refresh();
    expect(requestsFor(net, undefined)).toBe(before + 2);
    expect(client.getStatus()).toMatchObject({ stale: false });
  });
});
