import type { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { cacheFileNames } from "../../support/cache-files";
import { TempDirs } from "../../support/temp-dirs";
import { clientFor, flagRequests, RecordingLogger, startTestServer } from "../../support/test-client";
import { eventually, VirtualClock } from "../../support/virtual-clock";

// A service restarted while Rollgate is unreachable starts with the last good flags, not with
// defaults (issue 6, PROTOCOL.md §4.4), and converges once Rollgate is back.

const INIT_TIMEOUT_SECONDS = 10;

describe("a client restarted while the server is down", () => {
  const dirs = new TempDirs("rollgate-restart-");
  const clients: RollgateClient[] = [];
  const servers: RollgateServer[] = [];
  const track = (client: RollgateClient) => (clients.push(client), client);
  const serve = async (options: Parameters<typeof startTestServer>[0] = {}) => {
    const server = await startTestServer(options);
    servers.push(server);
    return server;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await dirs.removeAll();
  });

  it("resolves init() at once with the cached flags, says so in its status, and converges on refresh() when the server is back", async () => {
    const dir = await dirs.make();
    const server = await serve();
    const first = clientFor(server, { cache: { dir } });
    await first.init();
    await first.close();
    expect(await cacheFileNames(dir)).toHaveLength(1);
    const { port, url, apiKey } = server;
    await server.close();

    const logger = new RecordingLogger();
    const restarted = track(clientFor(server, { cache: { dir }, initTimeout: INIT_TIMEOUT_SECONDS, logger }));
    const started = performance.now();
    let cacheServedMs: number | undefined;
    restarted.status$.subscribe((status) => {
      if (status.source === "cache") cacheServedMs ??= performance.now() - started;
    });
    await restarted.init();
    const initMs = performance.now() - started;

    // The cached flags are served at once; init() then waits for the refused connection and
    // its retries with the default backoff (full jitter, at most 0.1 + 0.2 + 0.4 s).
    expect(cacheServedMs).toBeLessThan(1_000);
    expect(initMs).toBeLessThan((INIT_TIMEOUT_SECONDS * 1000) / 5);
    expect(restarted.isEnabled("new-feature", false)).toBe(true);
    expect(restarted.getString("theme", "x")).toBe("light");
    expect(restarted.getNumber("results-per-page", 0)).toBe(50);
    expect(restarted.getJson("feature-config", {})).toEqual({ enabled: true, max_items: 10, allowed_roles: ["admin"] });
    const status = restarted.getStatus();
    expect(status).toMatchObject({ ready: true, source: "cache", stale: true });
    expect(status.lastError).toBeDefined();
    expect(status.lastError!.code).toBe("NETWORK_ERROR");
    expect(logger.text()).not.toContain(apiKey);

    const back = await serve({ port });
    expect(back.url).toBe(url);
    back.setFlag({ key: "new-feature", enabled: false });
    await restarted.refresh();
    expect(restarted.getStatus()).toMatchObject({ source: "server", stale: false, lastError: undefined });
    expect(restarted.isEnabled("new-feature", true)).toBe(false);
    expect(flagRequests(back)).toHaveLength(1);
  });

  it("converges by polling, in virtual time, once the server is back on the same port", async () => {
    const dir = await dirs.make();
    const clock = new VirtualClock();
    const server = await serve();
    const first = clientFor(server, { cache: { dir }, scheduler: clock.scheduler });
    await first.init();
    await first.close();
    const { port } = server;
    await server.close();

    clock.advanceBy(60_000);
    // One attempt per cycle: retries would wait on virtual backoff timers.
    const restarted = track(clientFor(server, { cache: { dir }, scheduler: clock.scheduler, refreshInterval: 30, retry: { maxRetries: 0 } }));
    await restarted.init();
    expect(restarted.getStatus()).toMatchObject({ ready: true, source: "cache", stale: true, lastUpdated: new Date(0) });
    expect(restarted.isEnabled("new-feature", false)).toBe(true);

    const back = await serve({ port });
    back.setFlag({ key: "new-feature", enabled: false });
    clock.advanceBy(29_999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(flagRequests(back)).toHaveLength(0);
    expect(restarted.getStatus().source).toBe("cache");

    clock.advanceBy(1);
    await eventually(() => restarted.getStatus().source === "server", 5_000, "the poll to reach the server");
    expect(restarted.getStatus()).toMatchObject({ source: "server", stale: false, lastError: undefined, lastUpdated: new Date(90_000) });
    expect(restarted.isEnabled("new-feature", true)).toBe(false);
  });

  it("serves defaults, not someone else's flags, when restarted while down with an empty cache directory", async () => {
    const dir = await dirs.make();
    const server = await serve();
    await server.close();
    const client = track(clientFor(server, { cache: { dir }, retry: { maxRetries: 0 } }));
    await client.init();
    expect(client.getStatus()).toMatchObject({ ready: true, source: "defaults", stale: true });
    expect(client.isEnabled("new-feature", false)).toBe(false);
  });
});
