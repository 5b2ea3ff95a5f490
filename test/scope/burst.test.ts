import { useClientSuite } from "../support/client-suite";
import { flagRequests } from "../support/test-client";
import { eventually } from "../support/virtual-clock";

/**
 * Issue 20, against the local server's delay fault (every flags response held 100 ms, the server
 * never fails), in real time and at reduced size: a burst of new users is served with the circuit
 * closed, and the client never blames the server for its own queue.
 */
describe("a burst of new users behind a 100 ms server", () => {
  const suite = useClientSuite();
  const users = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free" } }));

  it("serves every one of 100 new users at once with the circuit closed", async () => {
    suite.server.faults.delay(100, { count: "all" });
    const client = suite.client({ connections: 16 });
    await client.init();
    const views = await Promise.all(users(100, "burst").map((user) => client.forUser(user)));
    expect(views.filter((view) => view.stale || view.source !== "server")).toEqual([]);
    expect(views.filter((view) => view.isEnabled("pro-only", false))).toHaveLength(50);
    expect(client.getCircuitState()).toBe("closed");
    expect(client.getStatus()).toMatchObject({ lastError: undefined, users: { overloaded: false, shed: 0 } });
    expect(flagRequests(suite.server).filter((r) => String(r.query["user_id"]).startsWith("burst-"))).toHaveLength(100);
  });

  it("never opens the circuit for time spent in its own queue: callers past timeout get defaults, the server is not blamed", async () => {
    suite.server.faults.delay(100, { count: "all" });
    // 100 users through 4 connections take 2.5 s or more; each caller waits at most 1 s.
    const client = suite.client({ connections: 4, timeout: 1 });
    await client.init();
    const burst = users(100, "queued");
    const first = await Promise.all(burst.map((user) => client.forUser(user)));
    const waitedOut = first.filter((view) => view.stale);
    expect(waitedOut.length).toBeGreaterThan(30);
    expect(waitedOut[0]!.staleReason).toMatch(/did not answer within 1 s/);
    expect(client.getCircuitState()).toBe("closed");
    expect(client.getStatus().lastError).toBeUndefined();
    // Their fetches went on behind the callers: every user is served once the queue has drained
    // (the views are live), each with one request, and asking again serves them those flags.
    await eventually(() => first.every((view) => !view.stale && view.source === "server"), 10_000, "every queued user served");
    expect(flagRequests(suite.server).filter((r) => String(r.query["user_id"]).startsWith("queued-"))).toHaveLength(100);
    const second = await Promise.all(burst.map((user) => client.forUser(user)));
    expect(second.filter((view) => view.stale || view.source !== "server")).toEqual([]);
    expect(client.getCircuitState()).toBe("closed");
  });
});
