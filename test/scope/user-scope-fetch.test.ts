import { MemoryCacheStore, type CacheStore } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { VirtualClock, eventually } from "../support/virtual-clock";
import { VirtualNetwork } from "../support/virtual-network";
import { clientFor, startTestServer } from "../support/test-client";

/**
 * How a user's scope runs its fetches and takes in what comes back: which requests go first when
 * connections are short, what a failure leaves in the status, cached flags that arrive after the
 * server answered (or failed), and when cached flags are written again (issue 25: each test fails
 * on a mutant of src/scope/user-scope.ts that survived the rest of the suite).
 */

/** A MemoryCacheStore whose loads are held until `release()`: a cache store slower than the network. */
class SlowStore implements CacheStore {
  readonly saves: string[] = [];
  private held: (() => void)[] = [];
  private releasing = false;

  constructor(readonly memory: MemoryCacheStore) {}

  async load(key: string): Promise<string | undefined> {
    if (!this.releasing) await new Promise<void>((resolve) => this.held.push(resolve));
    return this.memory.load(key);
  }

  save(key: string, data: string): Promise<void> {
    this.saves.push(key);
    return this.memory.save(key, data);
  }

  /** Lets every held load (and every later one) go on. */
  release(): void {
    this.releasing = true;
    for (const resume of this.held.splice(0)) resume();
  }
}

describe("a user's scope fetching and taking in flags", () => {
  const suite = useClientSuite();

  /** The default user's flags saved at virtual time 0 in a fresh store, on `clock`. */
  async function savedEntry(clock: VirtualClock): Promise<MemoryCacheStore> {
    const memory = new MemoryCacheStore();
    const net = new VirtualNetwork(clock);
    const writer = suite.track(clientFor(suite.server, { scheduler: net.scheduler, dispatcher: net.dispatcher, cache: { store: memory } }), net);
    await writer.init();
    await writer.close();
    return memory;
  }

  it("sends a poll, which nobody waits for, after a new user's fetch when connections are short", async () => {
    const { client, net } = suite.virtual({ connections: 1, refreshInterval: 30 });
    await client.init();
    await net.advance(29_000);
    const sent = net.flagRequests.length;
    suite.server.faults.delay(300, { count: 1 });
    const blocker = client.forUser({ id: "blocker" });
    await eventually(() => net.flagRequests.length === sent + 1, 2_000, "the first request to hold the connection");
    // The poll comes due while the connection is taken: it queues, as a background fetch.
    net.clock.advanceBy(1_500);
    for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve));
    const waiting = client.forUser({ id: "new" });
    await Promise.all([blocker, waiting]);
    await net.quiesce();
    expect(net.flagRequests.slice(sent).map((r) => r.query["user_id"])).toEqual(["blocker", "new", undefined]);
  });

  it("keeps a failed fetch's error as the last error, and its message as the reason the flags are stale", async () => {
    const { client } = suite.virtual({ refreshInterval: 0, retry: { maxRetries: 0 } });
    await client.init();
    suite.server.faults.failFlags({ status: 503, count: 1 });
    await client.refresh();
    const { lastError, stale, staleReason } = client.getStatus();
    expect(lastError?.code).toBe("SERVER_ERROR");
    expect({ stale, staleReason }).toEqual({ stale: true, staleReason: lastError?.message });
    await client.refresh();
    expect(client.getStatus().lastError).toBeUndefined();
  });

  it("keeps the server's flags when the cache store answers after them", async () => {
    const clock = new VirtualClock();
    const memory = await savedEntry(clock);
    suite.server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    const store = new SlowStore(memory);
    const net = new VirtualNetwork(clock);
    const client = suite.track(clientFor(suite.server, { scheduler: net.scheduler, dispatcher: net.dispatcher, cache: { store }, refreshInterval: 0 }), net);
    const ready = client.init();
    // The cache gets 1 s of init; then the request goes out and is answered.
    await net.advanceUntil(() => net.flagRequests.length > 0, { stepMs: 100, maxMs: 2_000, what: "the flags request" });
    await ready;
    expect(client.getStatus().source).toBe("server");
    store.release();
    await net.quiesce();
    expect({ source: client.getStatus().source, newFeature: client.isEnabled("new-feature", true) }).toEqual({ source: "server", newFeature: false });
  });

  it("serves cached flags that arrive after the fetch failed as stale for the failure's reason, not for their age", async () => {
    const clock = new VirtualClock();
    const memory = await savedEntry(clock);
    // Older than ttl (stale), younger than maxAge (still served).
    clock.advanceBy(120_000);
    const store = new SlowStore(memory);
    const net = new VirtualNetwork(clock);
    const client = suite.track(
      clientFor(suite.server, { scheduler: net.scheduler, dispatcher: net.dispatcher, cache: { store, ttl: 60, maxAge: 3_600 }, refreshInterval: 0, retry: { maxRetries: 0 } }),
      net,
    );
    suite.server.faults.failFlags({ status: 503, count: "all" });
    const ready = client.init();
    await net.advanceUntil(() => net.flagRequests.length > 0, { stepMs: 100, maxMs: 2_000, what: "the flags request" });
    await ready;
    const failure = client.getStatus().lastError;
    expect(failure?.code).toBe("SERVER_ERROR");
    store.release();
    await eventually(() => client.getStatus().source === "cache", 2_000, "the cached flags to be served");
    expect({ stale: client.getStatus().stale, staleReason: client.getStatus().staleReason }).toEqual({ stale: true, staleReason: failure?.message });
  });

  it("writes cached flags again when the server sends the same flags, so that the entry's age restarts", async () => {
    const clock = new VirtualClock();
    const memory = await savedEntry(clock);
    clock.advanceBy(10_000);
    const store = new SlowStore(memory);
    store.release();
    const net = new VirtualNetwork(clock);
    const client = suite.track(clientFor(suite.server, { scheduler: net.scheduler, dispatcher: net.dispatcher, cache: { store }, refreshInterval: 0 }), net);
    const statuses: string[] = [];
    client.status$.subscribe(({ source }) => statuses.push(source));
    await client.init();
    await net.quiesce();
    expect(statuses.filter((source, i) => i === 0 || statuses[i - 1] !== source)).toEqual(["defaults", "cache", "server"]);
    expect(store.saves).toHaveLength(1);
    // The same flags once more from the server: nothing new to write.
    await client.refresh();
    await net.quiesce();
    expect(store.saves).toHaveLength(1);
  });
  it("writes cached flags again when only their ETag changed, so that a restart asks with the current one", async () => {
    const etags = await startTestServer({ v2ETag: true });
    try {
      const store = new SlowStore(new MemoryCacheStore());
      store.release();
      const net = new VirtualNetwork();
      const client = suite.track(clientFor(etags, { scheduler: net.scheduler, dispatcher: net.dispatcher, cache: { store }, refreshInterval: 0 }), net);
      await client.init();
      await net.quiesce();
      expect(store.saves).toHaveLength(1);
      // Another reason, the same value: nothing a getter serves changed, but the body (and its ETag) did.
      etags.setFlag({ key: "off-feature", enabled: true, rolloutPercentage: 0 });
      await client.refresh();
      await net.quiesce();
      expect(client.isEnabled("off-feature", true)).toBe(false);
      expect(store.saves).toHaveLength(2);
    } finally {
      await etags.close();
    }
  });

  it("lets refresh() join a poll in flight even when another user's request was told to wait (Retry-After)", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, retry: { maxRetries: 0 } });
    await client.init();
    await net.advance(29_000);
    const own = () => net.flagRequests.filter((r) => r.query["user_id"] === undefined).length;
    const polls = own();
    suite.server.faults.delay(300, { count: 1 });
    net.clock.advanceBy(1_500);
    await eventually(() => own() === polls + 1, 2_000, "the poll to be sent");
    suite.server.faults.failFlags({ status: 429, retryAfter: 120, count: 1 });
    const told = await client.forUser({ id: "told-to-wait" });
    expect({ source: told.source, stale: told.stale }).toEqual({ source: "defaults", stale: true });
    await client.refresh();
    expect(own()).toBe(polls + 1);
    expect(client.getStatus()).toMatchObject({ source: "server", stale: false });
  });
  it("answers refresh() at once while the circuit is open, even when a poll is waiting out a backoff", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, retry: { maxRetries: 3, baseDelay: 10, maxDelay: 10 }, circuitBreaker: { failureThreshold: 1, resetTimeout: 3_600 } });
    await client.init();
    suite.server.faults.failFlags({ status: 503, count: "all" });
    // The poll's first attempt fails and opens the circuit; its cycle waits (virtual time) before the next.
    await net.advance(30_000);
    expect(client.getCircuitState()).toBe("open");
    let answered = false;
    void client.refresh().then(() => (answered = true));
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(true);
    expect(client.getStatus().staleReason).toBe("The circuit breaker is open; serving the last flags.");
  });
});
