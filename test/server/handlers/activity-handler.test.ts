import { silentLogger } from "../../../src/logger/logger";
import { startServer, type RollgateServer } from "../../../src/server";
import { admin, call, json, userContextHeader } from "../support/http-client";
import { openSse } from "../support/sse-reader";

interface Activity {
  version: number;
  flagsVersion: number;
  storage: { file?: string; writes: boolean };
  streams: { count: number; clients: { userId: string; sdk?: string; ageMs: number; stalled: boolean }[] };
  requests: { seq: number; ageMs: number; method: string; path: string; userId: string; status: number | null }[];
  unauthenticated: number;
  faults: Record<string, unknown>[];
}

let server: RollgateServer;

beforeEach(async () => {
  server = await startServer({ logger: silentLogger, heartbeatInterval: 0, flags: [{ key: "a", enabled: true, rolloutPercentage: 100 }] });
});

afterEach(async () => {
  await server.close();
});

async function activity(query = "?wait=0"): Promise<Activity> {
  return json<Activity>(await admin(server, "GET", `/admin/activity${query}`));
}

describe("GET /admin/activity", () => {
  it("needs the admin token", async () => {
    expect((await call(server, "/admin/activity")).status).toBe(401);
  });

  it("lists the recent requests with the user each was for, newest last", async () => {
    await call(server, "/api/v1/sdk/v2/flags", { headers: { "x-user-context": userContextHeader({ id: "from-context" }) } });
    await call(server, "/api/v1/sdk/flags", { headers: { "x-user-id": "from-header" } });
    await call(server, "/api/v1/sdk/flags?user_id=from-query");
    await call(server, "/api/v1/sdk/flags", { auth: false });
    const { requests, unauthenticated } = await activity();
    expect(requests.map((r) => [r.method, r.path, r.userId, r.status])).toEqual([
      ["GET", "/api/v1/sdk/v2/flags", "from-context", 200],
      ["GET", "/api/v1/sdk/flags", "from-header", 200],
      ["GET", "/api/v1/sdk/flags", "from-query", 200],
    ]);
    expect(requests.every((r) => r.ageMs >= 0 && r.ageMs < 10_000)).toBe(true);
    expect(unauthenticated).toBe(1);
  });

  it("keeps only the newest 50 requests", async () => {
    for (let index = 0; index < 60; index++) await call(server, `/api/v1/sdk/flags?user_id=u${index}`);
    const { requests } = await activity();
    expect(requests).toHaveLength(50);
    expect(requests.at(-1)?.userId).toBe("u59");
  });

  it("lists the open streams with their user and SDK, and the faults in force", async () => {
    const stream = await openSse(`${server.url}/api/v1/sdk/stream?token=rg_server_local_dev_key&user_id=streamer`, { "x-sdk-name": "rollgate-node", "x-sdk-version": "9.9.9" });
    try {
      await server.waitFor((s) => s.streamCount === 1);
      server.faults.failFlags({ status: 503, count: "all" });
      server.faults.delay(1500, { count: 2 });
      const { streams, faults, storage } = await activity();
      expect(streams.count).toBe(1);
      expect(streams.clients).toEqual([{ userId: "streamer", sdk: "rollgate-node 9.9.9", ageMs: expect.any(Number), stalled: false }]);
      expect(faults).toEqual([
        { fault: "failFlags", status: 503, remaining: "all" },
        { fault: "delay", ms: 1500, remaining: 2 },
      ]);
      expect(storage).toEqual({ writes: false });
    } finally {
      stream.close();
    }
  });

  it("waits with ?since= until something changes, then answers at once", async () => {
    const { version, flagsVersion } = await activity();
    let answered = false;
    const waiting = activity(`?since=${version}`).then((reply) => {
      answered = true;
      return reply;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    server.setFlag({ key: "a", enabled: false });
    const next = await waiting;
    expect(next.version).toBeGreaterThan(version);
    expect(next.flagsVersion).toBe(flagsVersion + 1);
  });

  it("answers a stale ?since= at once, and a wait of 0 without waiting", async () => {
    const { version } = await activity();
    await call(server, "/api/v1/sdk/flags");
    expect((await activity(`?since=${version}`)).version).toBeGreaterThan(version);
    const now = (await activity()).version;
    expect((await activity(`?since=${now}&wait=0`)).version).toBe(now);
  });

  it("ends a waiting poll when the server closes", async () => {
    const { version } = await activity();
    const waiting = admin(server, "GET", `/admin/activity?since=${version}`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    await waiting;
  });
});
