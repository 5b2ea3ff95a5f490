import { MemoryCacheStore, type RollgateClient, type RollgateStatus } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, startTestServer } from "../../support/test-client";
import { VirtualClock } from "../../support/virtual-clock";

// Age rules of cached entries (issue 6): at most ttl old → served fresh until the server
// answers; older → served but stale; older than maxAge → discarded, defaults served. Ages are
// measured on the client's scheduler (savedAt comes from scheduler.now()), so virtual time
// plays hours in a few milliseconds.

const TTL_SECONDS = 60;
const MAX_AGE_SECONDS = 3_600;

describe("the age of cached flags, in virtual time", () => {
  let server: RollgateServer;
  let clock: VirtualClock;
  let store: MemoryCacheStore;
  const clients: RollgateClient[] = [];
  const cacheClient = (extra: Parameters<typeof clientFor>[1] = {}) => {
    const client = clientFor(server, {
      cache: { store, ttl: TTL_SECONDS, maxAge: MAX_AGE_SECONDS },
      scheduler: clock.scheduler,
      // One attempt per cycle: retries would wait on virtual backoff timers.
      retry: { maxRetries: 0 },
      ...extra,
    });
    clients.push(client);
    return client;
  };
  /** Every status the client goes through, from its creation on. */
  const statusesOf = (client: RollgateClient) => {
    const seen: RollgateStatus[] = [];
    client.status$.subscribe((status) => seen.push(status));
    return seen;
  };
  /** Where the flags came from, status after status, without repeats (other fields change too). */
  const sourcesSeen = (statuses: readonly RollgateStatus[]) =>
    statuses
      .map(({ source, stale }) => `${source}${stale ? " (stale)" : ""}`)
      .filter((label, index, labels) => index === 0 || labels[index - 1] !== label);

  beforeEach(async () => {
    server = await startTestServer();
    clock = new VirtualClock();
    store = new MemoryCacheStore();
    // Saved at virtual time 0, with the server's flags.
    const writer = cacheClient();
    await writer.init();
    await writer.close();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
  });

  it.each([
    { age: "0 ms", ms: 0, served: "served fresh" },
    { age: "exactly ttl", ms: TTL_SECONDS * 1000, served: "served fresh" },
    { age: "ttl + 1 ms", ms: TTL_SECONDS * 1000 + 1, served: "served stale" },
    { age: "exactly maxAge", ms: MAX_AGE_SECONDS * 1000, served: "served stale" },
    { age: "maxAge + 1 ms", ms: MAX_AGE_SECONDS * 1000 + 1, served: "discarded" },
    { age: "a week", ms: 7 * 86_400_000, served: "discarded" },
  ])("an entry $age old is $served while the server is down", async ({ ms, served }) => {
    await server.close();
    clock.advanceBy(ms);
    const client = cacheClient();
    const statuses = statusesOf(client);
    await client.init();

    const fromCache = statuses.filter((status) => status.source === "cache");
    if (served === "discarded") {
      expect(fromCache).toEqual([]);
      expect(client.getStatus()).toMatchObject({ ready: true, source: "defaults", stale: true });
      expect(client.isEnabled("new-feature", false)).toBe(false);
      expect(client.getString("theme", "fallback")).toBe("fallback");
      return;
    }
    // The first cache status is the one before the failed fetch: its staleness is the entry's age.
    expect(fromCache[0]).toMatchObject({ source: "cache", stale: served === "served stale", lastUpdated: new Date(0) });
    // After the failed fetch, whatever the age, the cached flags are stale.
    expect(client.getStatus()).toMatchObject({ ready: true, source: "cache", stale: true });
    expect(client.isEnabled("new-feature", false)).toBe(true);
    expect(client.getString("theme", "fallback")).toBe("light");
  });

  it("serves a young entry fresh until the server answers, then the server's flags", async () => {
    server.setFlag({ key: "new-feature", enabled: false });
    clock.advanceBy(TTL_SECONDS * 1000);
    const client = cacheClient();
    const statuses = statusesOf(client);
    const values: boolean[] = [];
    client.flag$("new-feature", false).subscribe((value) => values.push(value));
    await client.init();

    expect(sourcesSeen(statuses)).toEqual(["defaults", "cache", "server"]);
    expect(values).toEqual([false, true, false]);
    expect(client.getStatus()).toMatchObject({ source: "server", stale: false, lastUpdated: new Date(TTL_SECONDS * 1000) });
  });

  it("serves an entry past ttl marked stale until the server answers", async () => {
    clock.advanceBy(TTL_SECONDS * 1000 + 1);
    const client = cacheClient();
    const statuses = statusesOf(client);
    await client.init();
    expect(sourcesSeen(statuses)).toEqual(["defaults", "cache (stale)", "server"]);
  });

  it("says why an entry past ttl is served stale until the server answers", async () => {
    clock.advanceBy(TTL_SECONDS * 1000 + 1);
    const client = cacheClient();
    const statuses = statusesOf(client);
    await client.init();
    expect(statuses.find((status) => status.source === "cache")?.staleReason).toBe("Serving cached flags older than cache.ttl until the server answers.");
  });

  it("never serves an entry past maxAge, even for a moment, before the server's flags", async () => {
    clock.advanceBy(MAX_AGE_SECONDS * 1000 + 1);
    const client = cacheClient();
    const statuses = statusesOf(client);
    await client.init();
    expect(sourcesSeen(statuses)).toEqual(["defaults", "server"]);
  });

  it("counts ages with the default ttl (300 s) and maxAge (86,400 s) when only a store is given", async () => {
    await server.close();
    const ages = [
      { ms: 300_000, served: "cache" },
      { ms: 300_001, served: "cache (stale)" },
      { ms: 86_400_000, served: "cache (stale)" },
      { ms: 86_400_001, served: "defaults (stale)" },
    ];
    for (const { ms, served } of ages) {
      clock.advanceBy(ms - clock.now);
      const client = clientFor(server, { cache: { store }, scheduler: clock.scheduler, retry: { maxRetries: 0 } });
      const statuses = statusesOf(client);
      await client.init();
      // Closed before the clock moves on, or its polling would run through the hours skipped.
      await client.close();
      expect({ ms, served: sourcesSeen(statuses)[1] }).toEqual({ ms, served });
    }
  });
});
