import type { CacheStore, RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, quiet, RecordingLogger, startTestServer } from "../support/test-client";
import { eventually, VirtualClock } from "../support/virtual-clock";
import { VirtualNetwork } from "../support/virtual-network";

/** Edge cases of the lifecycle found by review: each pins a bug that existed. */
describe("lifecycle edge cases", () => {
  let server: RollgateServer;
  const clients: RollgateClient[] = [];
  const track = (client: RollgateClient) => (clients.push(client), client);

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  it("resetCircuit() during init() does not make init resolve without flags", async () => {
    server.faults.delay(300, { count: 1 });
    const client = track(clientFor(server, { refreshInterval: 0 }));
    const init = client.init();
    await eventually(() => server.received.requests.length === 1, 2_000, "the first request");
    client.resetCircuit();
    await init;
    expect(client.getStatus()).toMatchObject({ source: "server", stale: false });
    expect(client.isEnabled("new-feature", false)).toBe(true);
  });

  it("resetCircuit() during identify() does not make identify resolve with the old user's flags", async () => {
    const client = track(clientFor(server, { refreshInterval: 0 }));
    await client.init();
    server.faults.delay(300, { count: 1 });
    const identify = client.identify({ id: "user-9" });
    await eventually(() => server.received.requests.some((r) => r.query.user_id === "user-9" && r.path.endsWith("/flags")), 2_000, "the fetch");
    client.resetCircuit();
    await identify;
    expect(client.isEnabled("user-target", false)).toBe(true);
    expect(client.getStatus().stale).toBe(false);
  });

  it("close() settles even when the cache store never finishes a save", async () => {
    const logger = new RecordingLogger();
    const hanging: CacheStore = { load: () => Promise.resolve(undefined), save: () => new Promise<void>(() => {}) };
    const client = clientFor(server, { cache: { store: hanging }, logger });
    await client.init();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    await client.close();
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(logger.text()).toMatch(/did not finish saving/);
  });

  it("close() right after init() sends nothing more and logs nothing about it", async () => {
    const logger = new RecordingLogger();
    const net = new VirtualNetwork();
    const client = clientFor(server, { user: { id: "u1" }, logger, scheduler: net.scheduler, dispatcher: net.dispatcher });
    const init = client.init().catch((error: unknown) => error);
    await client.close();
    // init() settles once the outcome of its (aborted) fetch has been handled: whatever that
    // outcome logs is logged by now.
    await init;
    const sent = net.sent.length;
    // Every retry, poll or timer the client could have left behind is due within ten minutes.
    await net.advance(600_000, 10_000);
    expect(net.sent).toHaveLength(sent);
    expect(net.inFlight).toBe(0);
    expect(logger.messages.filter((m) => m.level === "warn" || m.level === "error")).toEqual([]);
    await net.close();
  });

  it("cached flags that load after the fetch failed are served stale", async () => {
    server.faults.failFlags({ status: 503, count: "all" });
    const entry = JSON.stringify({ version: 1, savedAt: Date.now(), flags: { "new-feature": { type: "boolean", enabled: true, value: true, reason: { kind: "FALLTHROUGH", inRollout: true } } } });
    let release!: () => void;
    const slow: CacheStore = {
      load: () => new Promise((resolve) => (release = () => resolve(entry))),
      save: () => Promise.resolve(),
    };
    const client = track(clientFor(server, { cache: { store: slow }, retry: { maxRetries: 0 }, initTimeout: 3 }));
    await client.init();
    expect(client.getStatus()).toMatchObject({ source: "defaults", stale: true });
    release();
    await eventually(() => client.getStatus().source === "cache", 2_000, "the late cache");
    expect(client.getStatus().stale).toBe(true);
    expect(client.isEnabled("new-feature", false)).toBe(true);
  });

  it("refresh() settles at once, reporting it, when the server asks to retry much later; the retry goes then", async () => {
    const clock = new VirtualClock();
    const client = track(clientFor(server, { scheduler: clock.scheduler, initTimeout: 5 }));
    await client.init();
    server.faults.failFlags({ status: 429, count: 1, retryAfter: 120 });
    await client.refresh();
    expect(server.received.requests).toHaveLength(2);
    expect(client.getStatus()).toMatchObject({ stale: true, lastError: expect.objectContaining({ code: "RATE_LIMITED", retryAfter: 120 }) });
    // Nothing is sent before the server said, not even for an explicit refresh().
    await client.refresh();
    clock.advanceBy(119_999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.received.requests).toHaveLength(2);
    clock.advanceBy(1);
    await eventually(() => server.received.requests.length === 3, 2_000, "the retry after Retry-After");
    await eventually(() => client.getStatus().lastError === undefined, 2_000, "the retry to succeed");
  });

  it("a 401 on a poll stops an open stream too, and refresh() opens it again", async () => {
    const client = track(clientFor(server, { enableStreaming: true }));
    await client.init();
    await eventually(() => client.getStatus().stream === "open" && server.streamCount === 1, 5_000, "the stream");
    // Let the refetches that follow a connection finish, so that the 401 goes to refresh().
    await quiet(server);
    server.faults.failFlags({ status: 401, count: 1 });
    await client.refresh();
    expect(client.getStatus().stream).toBe("stopped");
    await eventually(() => server.streamCount === 0, 2_000, "the stream to close");
    await client.refresh();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to reopen");
  });
});
