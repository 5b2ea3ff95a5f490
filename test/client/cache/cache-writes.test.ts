import type { RollgateClient } from "rollgate";
import type { RollgateServer, ServerOptions } from "rollgate/server";
import { RecordingCacheStore } from "../../support/recording-cache-store";
import { clientFor, flagRequests, startTestServer } from "../../support/test-client";
import { eventually, settle } from "../../support/virtual-clock";

// The cache is written only when the served content changes (not on a 304, not for the same
// flags fetched again), in the background, coalesced: a burst costs at most two writes
// (issue 6). A save starts one microtask after the change, so after `await refresh()` and one
// `settle()` every save the refresh caused has been recorded.

describe("writes to the cache", () => {
  let server: RollgateServer | undefined;
  const clients: RollgateClient[] = [];
  const serve = async (options: ServerOptions = {}) => (server = await startTestServer(options));
  const cachedClient = (running: RollgateServer, store: RecordingCacheStore) => {
    const client = clientFor(running, { cache: { store }, refreshInterval: 0 });
    clients.push(client);
    return client;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server?.close();
    server = undefined;
  });

  it.each([
    { server: "a server without ETags", options: {}, refetch: 200, path: "/api/v1/sdk/v2/flags" },
    { server: "a v2 server with ETags", options: { v2ETag: true }, refetch: 304, path: "/api/v1/sdk/v2/flags" },
    { server: "a v1 server (ETags on /flags)", options: { v2: false }, refetch: 304, path: "/api/v1/sdk/flags" },
  ])("happen once per change of content with $server: never for an unchanged refetch", async ({ options, refetch, path }) => {
    const running = await serve(options);
    const store = new RecordingCacheStore();
    const client = cachedClient(running, store);
    await client.init();
    await eventually(() => store.completedSaves === 1, 5_000, "the first save");

    await client.refresh();
    await client.refresh();
    await settle();
    const refetches = flagRequests(running).filter((request) => request.path === path).slice(-2);
    expect(refetches.map((request) => request.status)).toEqual([refetch, refetch]);
    expect(store.saves).toHaveLength(1);

    running.setFlag({ key: "new-feature", enabled: false });
    await client.refresh();
    await settle();
    expect(store.saves).toHaveLength(2);
    expect(store.lastSaved().flags["new-feature"]).toMatchObject({ enabled: false });

    await client.refresh();
    await client.close();
    expect(store.saves).toHaveLength(2);
  });

  it("coalesce a burst of changes behind a slow save into at most two writes, the last one winning", async () => {
    const running = await serve();
    const store = new RecordingCacheStore();
    const client = cachedClient(running, store);
    await client.init();
    await eventually(() => store.completedSaves === 1, 5_000, "the first save");

    store.hold();
    const changes = 20;
    for (let change = 1; change <= changes; change++) {
      running.setFlag({ key: "results-per-page", enabled: true, rolloutPercentage: 100, variations: { n: change }, defaultVariation: "n" });
      await client.refresh();
      // Getters answer the new value at once, whatever the cache is doing.
      expect(client.getNumber("results-per-page", 0)).toBe(change);
    }
    await settle();
    expect(store.saves.length - 1).toBeLessThanOrEqual(2);

    store.release();
    await client.close();
    expect(store.saves.length - 1).toBe(2);
    expect(store.lastSaved().flags["results-per-page"]).toMatchObject({ value: changes });
  });

  it("are flushed by close(): it resolves only once the last change is saved", async () => {
    const running = await serve();
    const store = new RecordingCacheStore();
    const client = cachedClient(running, store);
    await client.init();
    await eventually(() => store.completedSaves === 1, 5_000, "the first save");

    store.hold();
    running.setFlag({ key: "new-feature", enabled: false });
    await client.refresh();
    let closed = false;
    const closing = client.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);

    store.release();
    await closing;
    expect(store.completedSaves).toBe(2);
    expect(store.lastSaved().flags["new-feature"]).toMatchObject({ enabled: false });
  });

  it("are not made for a failed fetch, nor for the stale marking that follows it", async () => {
    const running = await serve();
    const store = new RecordingCacheStore();
    const client = clientFor(running, { cache: { store }, refreshInterval: 0, retry: { maxRetries: 0 } });
    clients.push(client);
    await client.init();
    await eventually(() => store.completedSaves === 1, 5_000, "the first save");

    running.faults.failFlags({ status: 503, count: 2 });
    await client.refresh();
    await client.refresh();
    await settle();
    expect(client.getStatus().stale).toBe(true);
    expect(store.saves).toHaveLength(1);
  });

  it("store what the server served, with its ETag, under a key that names neither the key nor the user", async () => {
    const running = await serve({ v2ETag: true });
    const store = new RecordingCacheStore();
    const client = clientFor(running, { cache: { store }, refreshInterval: 0, user: { id: "user-9" } });
    clients.push(client);
    await client.init();
    await client.close();

    const [save] = store.saves;
    expect(save!.key).toMatch(/^flags-[0-9a-f]{32}$/);
    const entry = store.lastSaved();
    expect(entry).toMatchObject({ version: 1, etag: expect.stringMatching(/.+/) });
    expect(entry.flags["user-target"]).toMatchObject({ enabled: true, reason: { kind: "TARGET_MATCH" } });
    expect(Object.keys(entry.flags).sort()).toEqual(Object.keys(client.getAllFlags()).sort());
  });
});
