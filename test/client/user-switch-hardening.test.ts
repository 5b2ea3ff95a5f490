import { MemoryCacheStore, type RollgateClient, type RollgateOptions } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { clientFor, flagRequests, RecordingLogger } from "../support/test-client";

/**
 * Hardening of the client-wide user and the shared breaker (issue 13, items 4, 7, 11, 13, 14):
 * each test failed on the client before its fix.
 */
describe("user switches, side requests and silent streams", () => {
  const suite = useClientSuite();
  const track = (client: RollgateClient) => suite.track(client);
  const virtual = (options: Partial<RollgateOptions> = {}) => suite.virtual(options);

  it("never serves the previous user's targeted flags after a switch the suite.server refuses (431)", async () => {
    const client = track(clientFor(suite.server, { user: { id: "user-9" } }));
    await client.init();
    expect(client.isEnabled("user-target", false)).toBe(true);
    suite.server.faults.failFlags({ status: 431, count: "all" });
    await client.identify({ id: "bob", attributes: { plan: "free" } });
    expect(client.isEnabled("user-target", false)).toBe(false);
    expect(client.getAllFlags()).toEqual({});
    expect(client.getStatus()).toMatchObject({ stale: true, source: "defaults" });
    expect(client.isEnabledDetail("user-target", false).reason).toEqual({ kind: "ERROR", errorKind: "FLAGS_UNAVAILABLE" });
  });

  it("opens the circuit when only /flags fails, however often the app identifies (the POST does not vouch for /flags)", async () => {
    const { client, net } = virtual({ retry: { maxRetries: 0 } });
    await client.init();
    suite.server.faults.failFlags({ status: 503, count: "all" });
    for (let i = 0; i < 5 && client.getCircuitState() !== "open"; i++) {
      // Each identify POST succeeds (faults apply to the flags endpoints only); its fetch fails.
      await client.identify({ id: `user-${i}` });
      await net.advance(1_000, 250);
    }
    expect(suite.server.received.identifies.length).toBeGreaterThanOrEqual(4);
    expect(client.getCircuitState()).toBe("open");
  });

  it("does not let the identify POST be the half-open probe", async () => {
    const { client, net } = virtual({ retry: { maxRetries: 0 }, circuitBreaker: { failureThreshold: 1, resetTimeout: 10 } });
    await client.init();
    suite.server.faults.failFlags({ status: 503, count: 1 });
    await client.refresh();
    expect(client.getCircuitState()).toBe("open");
    await net.advance(10_000, 1_000);
    expect(client.getCircuitState()).toBe("half-open");
    suite.server.clearReceived();
    await client.identify({ id: "probe-user" });
    // The flags request was the probe: the POST waited for a closed circuit.
    expect(suite.server.received.identifies).toHaveLength(0);
    expect(flagRequests(suite.server)).toHaveLength(1);
    expect(client.getCircuitState()).toBe("closed");
  });

  it("coalesces 10,000 identify() calls in a loop into one POST and one stream, and leaves nothing after close()", async () => {
    const client = track(clientFor(suite.server, { enableStreaming: true }));
    await client.init();
    await suite.server.waitFor((s) => s.streamCount === 1);
    suite.server.clearReceived();
    const switches = Array.from({ length: 10_000 }, (_, i) => client.identify({ id: `storm-${i}` }));
    await Promise.all(switches);
    expect(client.getStatus()).toMatchObject({ stale: false, circuit: "closed", lastError: undefined });
    expect(suite.server.received.identifies.map((i) => i.user?.id)).toEqual(["storm-9999"]);
    expect(flagRequests(suite.server).map((r) => r.query["user_id"])).toEqual(["storm-9999"]);
    await suite.server.waitFor((s) => s.received.requests.some((r) => r.path === "/api/v1/sdk/stream"));
    expect(suite.server.received.requests.filter((r) => r.path === "/api/v1/sdk/stream")).toHaveLength(1);
    await client.close();
    await suite.server.waitFor((s) => s.streamCount === 0, 5_000);
  });

  it("keeps at most users.maxUsers + 1 identify() users' cache entries (and their save queues)", async () => {
    const store = new MemoryCacheStore();
    const keys = new Set<string>();
    const recording = {
      load: (key: string) => store.load(key),
      save: (key: string, data: string) => (keys.add(key), store.save(key, data)),
      delete: (key: string) => (keys.delete(key), store.delete(key)),
    };
    const client = track(clientFor(suite.server, { cache: { store: recording }, users: { maxUsers: 3 } }));
    await client.init();
    for (let i = 0; i < 20; i++) await client.identify({ id: `cached-${i}` });
    await client.close();
    expect(keys.size).toBe(4);
    const persisters = (client as unknown as { core: { cache: { persisters: Map<string, unknown> } } }).core.cache.persisters;
    expect(persisters.size).toBe(4);
  });

  it("vouches for flags behind an open stream that only sends heartbeats, with a slow conditional poll", async () => {
    const logger = new RecordingLogger();
    const { client, net } = virtual({ enableStreaming: true, logger, streamReadTimeout: 3_600 });
    await client.init();
    // The stream's request never ends: let each step wait only briefly for it.
    await net.advanceUntil(() => client.getStatus().stream === "open", { stepMs: 100, maxMs: 5_000, maxRealMsPerStep: 20, what: "the stream" });
    await net.advance(1_000, 100, 20);
    // The stream stays open but carries nothing from now on; a change happens anyway.
    suite.server.faults.stallStreams(true);
    suite.server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    const before = net.flagRequests.length;
    await net.advance(290_000, 10_000, 20);
    expect(client.getStatus().stream).toBe("open");
    expect(client.isEnabled("new-feature", true)).toBe(true);
    await net.advance(11_000, 1_000, 20);
    expect(net.flagRequests.length).toBeGreaterThan(before);
    expect(client.isEnabled("new-feature", true)).toBe(false);
  });
});
