import type { RollgateClient, RollgateOptions } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, flagRequests, startTestServer } from "../support/test-client";
import { VirtualNetwork } from "../support/virtual-network";

/**
 * What the users' scopes must do that no other test pinned (mutation testing, issue 25): each
 * test fails on a mutant that survived the rest of the suite.
 */
describe("users' scopes: ETag, freshness and recency", () => {
  let server: RollgateServer;
  const clients: RollgateClient[] = [];
  const nets: VirtualNetwork[] = [];

  beforeEach(async () => {
    // v2ETag: the v2 endpoint sends ETags (and answers 304s) only when asked to.
    server = await startTestServer({ v2ETag: true });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const net of nets.splice(0)) await net.close();
    await server.close();
  });

  function virtual(options: Partial<RollgateOptions> = {}): { client: RollgateClient; net: VirtualNetwork } {
    const net = new VirtualNetwork();
    nets.push(net);
    const client = clientFor(server, { scheduler: net.scheduler, dispatcher: net.dispatcher, ...options });
    clients.push(client);
    return { client, net };
  }

  const requestsFor = (id: string) => flagRequests(server).filter((r) => r.query["user_id"] === id);

  it("sends no ETag of the previous user after identify(), then the new user's own", async () => {
    // Both users get the same flags, so the previous user's ETag would match and a 304 would
    // vouch for flags nobody fetched for the new user.
    const { client } = virtual({ user: { id: "first" }, refreshInterval: 0 });
    await client.init();
    await client.refresh();
    expect(requestsFor("first").map((r) => r.headers["if-none-match"] !== undefined)).toEqual([false, true]);

    await client.identify({ id: "second" });
    expect(requestsFor("second").map((r) => r.headers["if-none-match"])).toEqual([undefined]);
    expect(client.getStatus()).toMatchObject({ source: "server", stale: false });

    await client.refresh();
    const [, again] = requestsFor("second");
    expect(again?.headers["if-none-match"]).toBe(requestsFor("first")[1]?.headers["if-none-match"]);
    expect(again?.status).toBe(304);
  });

  it("with refreshInterval 0 (no polling), keeps a user's flags fresh until a change is announced: no refetch per call", async () => {
    const { client, net } = virtual({ refreshInterval: 0 });
    await client.init();
    await client.forUser({ id: "steady" });
    for (let hour = 0; hour < 3; hour++) {
      await net.advance(3_600_000, 600_000);
      await client.forUser({ id: "steady" });
    }
    expect(requestsFor("steady")).toHaveLength(1);
    // refresh() announces a change: the next read fetches again.
    await client.refresh();
    await client.forUser({ id: "steady" });
    expect(requestsFor("steady")).toHaveLength(2);
  });

  it("evicts the least recently used user, counting a user asked for again as recent", async () => {
    const { client, net } = virtual({ users: { maxUsers: 2 } });
    await client.init();
    await client.forUser({ id: "a" });
    await net.advance(2_000);
    await client.forUser({ id: "b" });
    await net.advance(2_000);
    // "a" again: now "b" is the least recently used.
    await client.forUser({ id: "a" });
    await net.advance(2_000);
    await client.forUser({ id: "c" });
    expect(requestsFor("a")).toHaveLength(1);
    expect(requestsFor("c")).toHaveLength(1);
    await client.forUser({ id: "a" });
    expect(requestsFor("a")).toHaveLength(1);
    await client.forUser({ id: "b" });
    expect(requestsFor("b")).toHaveLength(2);
  });
});
