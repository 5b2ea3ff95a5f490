import type { RollgateClient, RollgateOptions } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { startHoldingProxy, type HoldingProxy, type ProxiedRequest } from "../support/holding-proxy";
import { StreamWatchingAgent } from "../support/stream-watching-agent";
import { clientFor, startTestServer } from "../support/test-client";
import { eventually, settle, VirtualClock } from "../support/virtual-clock";

/**
 * A change the stream announces while flags requests are under way: the client's own fetch in
 * flight may have been evaluated before the change, so another follows it; and the stream's
 * refetch, which nobody waits for, goes after a caller's when connections are short (issue 25:
 * each test fails on a mutant of src/scope/user-scope.ts or src/scope/flag-fetcher.ts that
 * survived the rest of the suite). A proxy holds the server's answer after it was evaluated.
 */

const isFlags = (r: ProxiedRequest) => r.path.startsWith("/api/v1/sdk/v2/flags") || r.path.startsWith("/api/v1/sdk/flags");

describe("a change the stream announces while flags are being fetched", () => {
  let server: RollgateServer;
  let proxy: HoldingProxy;
  let agent: StreamWatchingAgent;
  const clients: RollgateClient[] = [];

  beforeEach(async () => {
    server = await startTestServer();
    proxy = await startHoldingProxy(server.url);
    agent = new StreamWatchingAgent();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await proxy.close();
    await agent.close();
    await server.close();
  });

  /** The client's own user's flags requests (no user_id), as the proxy received them. */
  const own = () => proxy.requests.filter((r) => isFlags(r) && r.userId === undefined);

  /** A streaming client on virtual time: flags through the proxy, the stream straight from the server. */
  async function connectedClient(options: Partial<RollgateOptions> = {}): Promise<RollgateClient> {
    const clock = new VirtualClock();
    const client = clientFor(server, { baseUrl: proxy.url, streamUrl: server.url, enableStreaming: true, refreshInterval: 0, scheduler: clock.scheduler, dispatcher: agent, ...options });
    clients.push(client);
    await client.init();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to open");
    // The connection asks for a refetch of its own: answered before the test goes on.
    await eventually(() => own().length >= 2 && proxy.requests.every((r) => r.answered), 5_000, "the refetch the connection asked for");
    for (let i = 0; i < 10; i++) await settle();
    return client;
  }

  /** Changes new-feature (on for everyone in the test flags) to off, and waits until the client has read the signal. */
  async function turnOffNewFeature(): Promise<void> {
    const seen = agent.chunks;
    server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    await agent.received(seen);
  }

  it("fetches again after the fetch in flight, whose answer was evaluated before the change", async () => {
    const client = await connectedClient();
    const before = own().length;
    const held = proxy.holdNext((r) => isFlags(r) && r.userId === undefined);
    const refreshing = client.refresh();
    const answer = await held;
    await turnOffNewFeature();
    answer.release();
    await refreshing;
    // refresh() got the answer from before the change...
    expect(client.isEnabled("new-feature", true)).toBe(true);
    // ...and the stream's refetch, which waited for it, gets the change.
    await eventually(() => !client.isEnabled("new-feature", true), 2_000, "the change to be fetched");
    expect(own()).toHaveLength(before + 2);
  });

  it("sends the stream's refetch, which nobody waits for, after a new user's fetch when connections are short", async () => {
    const client = await connectedClient({ connections: 1 });
    const start = proxy.requests.length;
    const held = proxy.holdNext((r) => r.userId === "blocker");
    const blocker = client.forUser({ id: "blocker" });
    // The only connection is taken until the test releases the answer.
    const answer = await held;
    await turnOffNewFeature();
    const waiting = client.forUser({ id: "new" });
    for (let i = 0; i < 10; i++) await settle();
    answer.release();
    await Promise.all([blocker, waiting]);
    await eventually(() => !client.isEnabled("new-feature", true), 2_000, "the change to be fetched");
    expect(
      proxy.requests
        .slice(start)
        .filter(isFlags)
        .map((r) => r.userId),
    ).toEqual(["blocker", "new", undefined]);
  });
});
