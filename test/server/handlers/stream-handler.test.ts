import { silentLogger } from "../../../src/logger/logger";
import { startServer, type FlagDefinition, type RollgateServer } from "../../../src/server";
import { API_KEY, admin, call, userContextHeader } from "../support/http-client";
import { openSse, type SseConnection } from "../support/sse-reader";

const segmentRule = (id: string, value: string | string[]) => ({
  id,
  enabled: true,
  conditions: [{ attribute: "segment", operator: "in", value }],
  rolloutPercentage: 100,
});

const FLAGS: FlagDefinition[] = [
  { key: "enabled-flag", enabled: true, rolloutPercentage: 100 },
  { key: "disabled-flag", enabled: false },
  { key: "pro-only", enabled: true, rules: [segmentRule("pro", "pro-users")] },
  { key: "pro-and-beta", enabled: true, rules: [segmentRule("both", ["pro-users", "beta"])] },
  { key: "beta-only", enabled: true, rules: [segmentRule("beta", "beta")] },
];

const SEGMENTS = {
  "pro-users": { conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] },
  beta: { conditions: [{ attribute: "beta", operator: "eq", value: true }] },
};

let server: RollgateServer;
const open: SseConnection[] = [];

async function stream(query = "", headers: Record<string, string> = {}): Promise<SseConnection> {
  const connection = await openSse(`${server.url}/api/v1/sdk/stream?token=${API_KEY}${query}`, headers);
  open.push(connection);
  return connection;
}

beforeEach(async () => {
  server = await startServer({ flags: { flags: FLAGS, segments: SEGMENTS }, heartbeatInterval: 0, logger: silentLogger });
});

afterEach(async () => {
  for (const connection of open.splice(0)) connection.close();
  await server.close();
});

const INIT_ANONYMOUS =
  'event: init\ndata: {"flags":{"beta-only":false,"disabled-flag":false,"enabled-flag":true,"pro-and-beta":false,"pro-only":false}}\n\n';

describe("GET /api/v1/sdk/stream", () => {
  it("authenticates only with the token query parameter", async () => {
    const headerOnly = await call(server, "/api/v1/sdk/stream", { headers: { accept: "text/event-stream" } });
    expect(headerOnly.status).toBe(401);
    expect(headerOnly.text).toBe('{"error":"AuthenticationError","message":"Invalid API key"}\n');
    expect(headerOnly.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect((await call(server, "/api/v1/sdk/stream?token=wrong")).status).toBe(401);
    expect((await call(server, `/api/v1/sdk/stream?token=Bearer%20${API_KEY}`)).status).toBe(401);
  });

  it("sends the SSE headers and the init event first, with the v1 flags object", async () => {
    const connection = await stream();
    expect(connection.status).toBe(200);
    expect(connection.headers["content-type"]).toBe("text/event-stream");
    expect(connection.headers["cache-control"]).toBe("no-cache");
    expect(connection.headers["connection"]).toBe("keep-alive");
    expect(connection.headers["access-control-allow-origin"]).toBe("*");
    await connection.waitFor(() => connection.raw().length >= INIT_ANONYMOUS.length);
    expect(connection.raw()).toBe(INIT_ANONYMOUS);
    const v1 = await call(server, "/api/v1/sdk/flags");
    expect(connection.events()[0]).toEqual({ event: "init", data: v1.text });
  });

  it("evaluates init for user_id plus its identify session, and ignores header context", async () => {
    await call(server, "/api/v1/sdk/identify", { method: "POST", body: JSON.stringify({ user: { id: "u1", attributes: { plan: "pro", beta: true } } }) });
    const identified = await stream("&user_id=u1");
    const headerOnly = await stream("", { "x-user-context": userContextHeader({ id: "u1", attributes: { plan: "pro" } }), "x-user-id": "u1" });
    await identified.waitFor(() => identified.events().length === 1);
    await headerOnly.waitFor(() => headerOnly.events().length === 1);
    expect(JSON.parse(identified.events()[0]?.data ?? "")).toEqual({
      flags: { "beta-only": true, "disabled-flag": false, "enabled-flag": true, "pro-and-beta": true, "pro-only": true },
    });
    expect(headerOnly.raw()).toBe(INIT_ANONYMOUS);
  });

  it("pushes flag-changed for exactly the keys an admin change touched, with the definition's enabled", async () => {
    const connection = await stream();
    await connection.waitFor(() => connection.events().length === 1);
    const reply = await admin(server, "PUT", "/admin/flags/enabled-flag", { enabled: false });
    expect(JSON.parse(reply.text)).toEqual({ changed: ["enabled-flag"] });
    await connection.waitFor(() => connection.events().length === 2);
    expect(connection.raw().slice(INIT_ANONYMOUS.length)).toBe('event: flag-changed\ndata: {"enabled":false,"key":"enabled-flag"}\n\n');
  });

  it("sends nothing for an identical PUT", async () => {
    const connection = await stream();
    await connection.waitFor(() => connection.events().length === 1);
    expect(JSON.parse((await admin(server, "PUT", "/admin/flags/enabled-flag", FLAGS[0])).text)).toEqual({ changed: [] });
    expect(server.setFlag({ key: "disabled-flag", enabled: false })).toEqual([]);
    // A later, real change must be the very next event: nothing was sent in between.
    server.setFlag({ key: "disabled-flag", enabled: true });
    await connection.waitFor(() => connection.events().length === 2);
    expect(connection.events().slice(1)).toEqual([{ event: "flag-changed", data: '{"enabled":true,"key":"disabled-flag"}' }]);
  });

  it("pushes a change for every flag referencing a changed segment, and enabled:false for a removed flag", async () => {
    const connection = await stream();
    await connection.waitFor(() => connection.events().length === 1);
    await admin(server, "PUT", "/admin/segments/beta", { conditions: [{ attribute: "beta", operator: "eq", value: "yes" }] });
    await connection.waitFor(() => connection.events().length === 3);
    await admin(server, "DELETE", "/admin/flags/pro-only");
    await connection.waitFor(() => connection.events().length === 4);
    expect(connection.events().slice(1)).toEqual([
      { event: "flag-changed", data: '{"enabled":true,"key":"beta-only"}' },
      { event: "flag-changed", data: '{"enabled":true,"key":"pro-and-beta"}' },
      { event: "flag-changed", data: '{"enabled":false,"key":"pro-only"}' },
    ]);
  });

  it("writes a heartbeat comment every heartbeatInterval", async () => {
    await server.close();
    server = await startServer({ flags: { flags: FLAGS, segments: SEGMENTS }, heartbeatInterval: 0.02, logger: silentLogger });
    const connection = await stream();
    await connection.waitFor(() => connection.raw().split(": heartbeat\n\n").length >= 3);
    expect(connection.raw().startsWith("event: init\n")).toBe(true);
    expect(connection.events()).toHaveLength(1);
  });

  it("counts open streams and forgets a stream the client closed", async () => {
    const first = await stream();
    await stream();
    await server.waitFor((s) => s.streamCount === 2);
    first.close();
    await server.waitFor((s) => s.streamCount === 1);
  });

  it("ends open streams when the server closes", async () => {
    const connection = await stream();
    await connection.waitFor(() => connection.events().length === 1);
    await server.close();
    await connection.ended;
    expect(server.streamCount).toBe(0);
  });
});
