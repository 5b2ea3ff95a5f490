import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { silentLogger } from "../../src/logger/logger";
import { startServer, type RollgateServer } from "../../src/server";
import { API_KEY, call, json } from "./support/http-client";
import { openSse, type SseConnection } from "./support/sse-reader";

let server: RollgateServer;
const open: SseConnection[] = [];

beforeEach(async () => {
  server = await startServer({
    logger: silentLogger,
    heartbeatInterval: 0,
    flags: [
      { key: "feature", enabled: true, rolloutPercentage: 100 },
      { key: "other", enabled: false },
    ],
  });
});

afterEach(async () => {
  for (const connection of open.splice(0)) connection.close();
  await server.close();
});

async function stream(): Promise<SseConnection> {
  const connection = await openSse(`${server.url}/api/v1/sdk/stream?token=${API_KEY}`);
  open.push(connection);
  return connection;
}

const TSX = join(process.cwd(), "node_modules/.bin/tsx");
const v1 = () => call(server, "/api/v1/sdk/flags");
const v2 = () => call(server, "/api/v1/sdk/v2/flags");

describe("failFlags", () => {
  it("answers the simulated error body for count requests shared by v1 and v2", async () => {
    server.faults.failFlags({ status: 503, count: 2 });
    const first = await v1();
    expect(first.status).toBe(503);
    expect(first.headers["content-type"]).toBe("application/json");
    expect(json(first)).toEqual({ error: { code: "ServerError", category: "internal", message: "Service Unavailable", retryable: true } });
    expect((await v2()).status).toBe(503);
    expect((await v1()).status).toBe(200);
    expect((await v2()).status).toBe(200);
  });

  it("defaults to one request and uses the configured message", async () => {
    server.faults.failFlags({ status: 400, message: "bad things" });
    expect(json(await v2())).toEqual({ error: { code: "ValidationError", category: "internal", message: "bad things", retryable: false } });
    expect((await v2()).status).toBe(200);
  });

  it("is checked before authentication", async () => {
    server.faults.failFlags({ status: 429 });
    const reply = await call(server, "/api/v1/sdk/flags", { auth: false });
    expect(reply.status).toBe(429);
    expect((await call(server, "/api/v1/sdk/flags", { auth: false })).status).toBe(401);
  });

  it("sends Retry-After in seconds or as an HTTP date", async () => {
    server.faults.failFlags({ status: 429, retryAfter: 7 });
    expect((await v1()).headers["retry-after"]).toBe("7");
    server.faults.failFlags({ status: 503, retryAfterDate: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) });
    expect((await v1()).headers["retry-after"]).toBe("Wed, 02 Jan 2030 03:04:05 GMT");
    server.faults.failFlags({ status: 503 });
    expect((await v1()).headers["retry-after"]).toBeUndefined();
  });

  it('keeps failing with count "all" until cleared', async () => {
    server.faults.failFlags({ status: 500, count: "all" });
    for (let i = 0; i < 4; i++) expect((await v1()).status).toBe(500);
    server.faults.clear();
    expect((await v1()).status).toBe(200);
  });

  it("reproduces the 200-without-flags quirk with status 200", async () => {
    server.faults.failFlags({ status: 200 });
    const reply = await v1();
    expect(reply.status).toBe(200);
    expect(json(reply)).toEqual({ error: { code: "ServerError", category: "internal", message: "OK", retryable: false } });
  });

  it("leaves identify, events, telemetry and the stream alone", async () => {
    server.faults.failFlags({ status: 503, count: "all" });
    expect((await call(server, "/api/v1/sdk/identify", { method: "POST", body: "{}" })).status).toBe(200);
    expect((await call(server, "/api/v1/sdk/events", { method: "POST", body: "{}" })).status).toBe(200);
    expect((await call(server, "/api/v1/sdk/telemetry", { method: "POST", body: "{}" })).status).toBe(200);
    const connection = await stream();
    expect(connection.status).toBe(200);
  });

  it("refuses invalid faults", () => {
    expect(() => server.faults.failFlags({ status: 99 })).toThrow(RangeError);
    expect(() => server.faults.failFlags({ status: 503, count: 0 })).toThrow(RangeError);
    expect(() => server.faults.failFlags({ status: 503, retryAfter: 1.5 })).toThrow(RangeError);
    expect(() => server.faults.delay(-1)).toThrow(RangeError);
  });
});

describe("delay", () => {
  it("holds count flag responses for the given time", async () => {
    server.faults.delay(150, { count: 1 });
    let started = performance.now();
    expect((await v2()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    started = performance.now();
    await v1();
    expect(performance.now() - started).toBeLessThan(140);
  });

  it("combines with failFlags: the error comes after the delay", async () => {
    server.faults.delay(100);
    server.faults.failFlags({ status: 504 });
    const started = performance.now();
    expect((await v1()).status).toBe(504);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it("holds many requests at once without Node's listener-leak warning (each waits on the shutdown signal)", () => {
    const output = execFileSync(TSX, [join(__dirname, "support/delayed-burst.ts")], { cwd: process.cwd(), encoding: "utf8" });
    expect(JSON.parse(output)).toEqual({ statuses: Array.from({ length: 20 }, () => 200), warnings: [] });
  });

  it("shows a delayed request in the log without a status until it is answered", async () => {
    server.faults.delay(5_000);
    const pending = v1().catch(() => undefined);
    await server.waitFor((s) => s.received.requests.length === 1);
    expect(server.received.requests[0]?.status).toBeUndefined();
    await server.close();
    await pending;
  });
});

describe("malformed", () => {
  it("sends a body that is not JSON", async () => {
    server.faults.malformed("not-json");
    const reply = await v1();
    expect(reply.status).toBe(200);
    expect(() => JSON.parse(reply.text)).toThrow();
  });

  it("sends an HTML page", async () => {
    server.faults.malformed("html");
    const reply = await v2();
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.text).toContain("<html>");
  });

  it("sends an error object without flags", async () => {
    server.faults.malformed("no-flags");
    const body = json(await v1());
    expect(body).not.toHaveProperty("flags");
    expect(body).toHaveProperty("error");
  });

  it("sends flags with the wrong types, keeping the real keys", async () => {
    server.faults.malformed("schema", { count: 2 });
    expect(json(await v1())).toEqual({ flags: { feature: "true", other: "true" } });
    expect(json<{ flags: Record<string, { enabled: unknown }> }>(await v2()).flags["feature"]?.enabled).toBe("yes");
  });

  it("sends valid-looking JSON larger than 2 MiB", async () => {
    server.faults.malformed("oversized", { count: 2 });
    for (const reply of [await v1(), await v2()]) {
      expect(Buffer.byteLength(reply.text)).toBeGreaterThan(2 * 1024 * 1024);
      expect(typeof json<{ flags: object }>(reply).flags).toBe("object");
    }
  });

  it("applies after authentication and only to count requests", async () => {
    server.faults.malformed("html");
    expect((await call(server, "/api/v1/sdk/flags", { auth: false })).status).toBe(401);
    expect((await v1()).headers["content-type"]).toBe("text/html; charset=utf-8");
    expect((await v1()).headers["content-type"]).toBe("application/json");
  });
});

describe("stream faults", () => {
  it("dropStreams ends every open stream", async () => {
    const first = await stream();
    const second = await stream();
    await server.waitFor((s) => s.streamCount === 2);
    server.faults.dropStreams();
    await Promise.all([first.ended, second.ended]);
    await server.waitFor((s) => s.streamCount === 0);
    expect(first.events().map((event) => event.event)).toEqual(["init"]);
  });

  it("refuseStreams answers count stream connections with the status, before authentication", async () => {
    server.faults.refuseStreams({ status: 503, count: 2, retryAfter: 3 });
    const refused = await call(server, "/api/v1/sdk/stream");
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("3");
    expect(json(refused)).toMatchObject({ error: { code: "ServerError" } });
    expect((await stream()).status).toBe(503);
    expect((await stream()).status).toBe(200);
    expect((await v1()).status).toBe(200);
  });

  it("stallStreams accepts connections but sends no event or heartbeat, and silences open streams", async () => {
    await server.close();
    server = await startServer({ logger: silentLogger, heartbeatInterval: 0.02, flags: [{ key: "feature", enabled: true }] });
    const before = await stream();
    await before.waitFor(() => before.raw().includes(": heartbeat"));
    server.faults.stallStreams(true);
    const stalled = await stream();
    expect(stalled.status).toBe(200);
    expect(stalled.headers["content-type"]).toBe("text/event-stream");
    const lengthBefore = before.raw().length;
    server.setFlag({ key: "feature", enabled: false });
    server.faults.stallStreams(false);
    // A stream opened after the stall gets init, the change and heartbeats; the stalled ones get nothing.
    const after = await stream();
    await after.waitFor(() => after.raw().split(": heartbeat").length >= 3);
    server.setFlag({ key: "feature", enabled: true });
    await after.waitFor(() => after.events().length === 2);
    expect(stalled.raw()).toBe("");
    expect(before.raw().length).toBe(lengthBefore);
    expect(server.streamCount).toBe(3);
  });

  it("clear removes stream refusals", async () => {
    server.faults.refuseStreams({ status: 500, count: "all" });
    server.faults.clear();
    expect((await stream()).status).toBe(200);
  });
});
