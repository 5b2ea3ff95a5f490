import type { RollgateClient } from "rollgate";
import type { RollgateServer, ServerOptions } from "rollgate/server";
import { onlyCacheFile, readCacheFile } from "../../support/cache-files";
import { RecordingCacheStore } from "../../support/recording-cache-store";
import { TempDirs } from "../../support/temp-dirs";
import { clientFor, flagRequests, startTestServer } from "../../support/test-client";
import { settle } from "../../support/virtual-clock";

// A restarted client revalidates its cached flags with the cached ETag (PROTOCOL.md §4.1:
// send If-None-Match whenever the last response carried an ETag), so a 304 confirms them
// without a body.

describe("the cached ETag", () => {
  const dirs = new TempDirs("rollgate-etag-");
  let server: RollgateServer | undefined;
  const clients: RollgateClient[] = [];
  const track = (client: RollgateClient) => (clients.push(client), client);
  const serve = async (options: ServerOptions) => (server = await startTestServer(options));

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server?.close();
    server = undefined;
    await dirs.removeAll();
  });

  /** Runs a first client to fill the cache; returns the ETag it cached. */
  async function fillCache(running: RollgateServer, dir: string): Promise<string> {
    const first = clientFor(running, { cache: { dir }, user: { id: "user-9" } });
    await first.init();
    await first.close();
    const parsed = await readCacheFile(await onlyCacheFile(dir));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.entry.etag).toEqual(expect.any(String));
    return parsed.entry.etag!;
  }

  it.each([
    { server: "a v2 server with ETags", options: { v2ETag: true }, path: "/api/v1/sdk/v2/flags" },
    { server: "a v1 server", options: { v2: false }, path: "/api/v1/sdk/flags" },
  ])("is sent as If-None-Match after a restart, and $server's 304 confirms the cached flags", async ({ options, path }) => {
    const dir = await dirs.make();
    const running = await serve(options);
    const etag = await fillCache(running, dir);
    running.clearReceived();

    const restarted = track(clientFor(running, { cache: { dir }, user: { id: "user-9" } }));
    await restarted.init();
    const requests = flagRequests(running);
    expect(requests[0]!.headers["if-none-match"]).toBe(etag);
    const revalidation = requests.find((request) => request.path === path);
    expect(revalidation).toMatchObject({ status: 304, headers: { "if-none-match": etag } });
    expect(restarted.getStatus()).toMatchObject({ ready: true, source: "server", stale: false, lastError: undefined });
    expect(restarted.isEnabled("user-target", false)).toBe(true);
    expect(restarted.isEnabled("new-feature", false)).toBe(true);
  });

  it("gets the new flags (200) when they changed while the client was down, and caches them with the new ETag", async () => {
    const dir = await dirs.make();
    const running = await serve({ v2ETag: true });
    const etag = await fillCache(running, dir);
    running.setFlag({ key: "new-feature", enabled: false });
    running.clearReceived();

    const restarted = track(clientFor(running, { cache: { dir }, user: { id: "user-9" } }));
    await restarted.init();
    expect(flagRequests(running)).toMatchObject([{ status: 200, headers: { "if-none-match": etag } }]);
    expect(restarted.isEnabled("new-feature", true)).toBe(false);
    await restarted.close();
    const parsed = await readCacheFile(await onlyCacheFile(dir));
    expect(parsed.ok && parsed.entry.etag).not.toBe(etag);
    expect(parsed.ok && parsed.entry.flags.get("new-feature")?.enabled).toBe(false);
  });

  it("is not written again by the 304 that confirms it", async () => {
    const running = await serve({ v2ETag: true });
    const store = new RecordingCacheStore();
    const first = clientFor(running, { cache: { store } });
    await first.init();
    await first.close();
    expect(store.saves).toHaveLength(1);

    const restarted = track(clientFor(running, { cache: { store } }));
    await restarted.init();
    await settle();
    expect(flagRequests(running).at(-1)!.status).toBe(304);
    expect(store.saves).toHaveLength(1);
  });

  it("is not sent for another user's request", async () => {
    const dir = await dirs.make();
    const running = await serve({ v2ETag: true });
    await fillCache(running, dir);
    running.clearReceived();

    const other = track(clientFor(running, { cache: { dir }, user: { id: "user-1" } }));
    await other.init();
    expect(flagRequests(running)).toMatchObject([{ status: 200 }]);
    expect(flagRequests(running)[0]!.headers["if-none-match"]).toBeUndefined();
    expect(other.isEnabled("user-target", true)).toBe(false);
  });
});
