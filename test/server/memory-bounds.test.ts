import { silentLogger } from "../../src/logger/logger";
import { startServer, type FlagDefinition } from "../../src/server";
import { API_KEY, call, json } from "./support/http-client";
import { openSse, type SseConnection } from "./support/sse-reader";

const PRO_ONLY: FlagDefinition = {
  key: "pro-only",
  enabled: true,
  rules: [{ id: "pro", enabled: true, rolloutPercentage: 100, conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] }],
};

function event(index: number): Record<string, unknown> {
  return { flagKey: "f", eventName: `e${index}`, userId: "u" };
}

async function post(server: Parameters<typeof call>[0], path: string, body: unknown): Promise<number> {
  return (await call(server, path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } })).status;
}

describe("the local server's memory bounds", () => {
  it("counts requests without the API key instead of recording them, however large their headers", async () => {
    await using server = await startServer({ logger: silentLogger });
    const bulky = { "x-user-context": "x".repeat(14 * 1024) };
    expect((await call(server, "/api/v1/sdk/flags", { auth: false, headers: bulky })).status).toBe(401);
    expect((await call(server, "/api/v1/sdk/flags", { auth: false, headers: { ...bulky, authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await call(server, "/api/v1/sdk/stream?token=wrong", { auth: false })).status).toBe(401);
    expect((await call(server, "/health", { auth: false })).status).toBe(200);
    expect((await call(server, "/api/v1/sdk/flags")).status).toBe(200);
    expect((await call(server, `/api/v1/sdk/stream?token=${API_KEY}`, { auth: false, method: "HEAD" })).status).toBe(200);
    expect(server.received.requests.map((entry) => entry.path)).toEqual(["/api/v1/sdk/flags", "/api/v1/sdk/stream"]);
    expect(server.received.unauthenticated).toBe(4);
  });

  it("keeps the newest maxReceivedEntries requests and counts the ones it dropped", async () => {
    await using server = await startServer({ logger: silentLogger, maxReceivedEntries: 3 });
    for (let index = 0; index < 5; index++) await call(server, `/api/v1/sdk/flags?n=${index}`);
    expect(server.received.requests.map((entry) => entry.query["n"])).toEqual(["2", "3", "4"]);
    expect(server.received.requests.map((entry) => entry.seq)).toEqual([3, 4, 5]);
    expect(server.received.dropped.requests).toBe(2);
    server.clearReceived();
    expect(server.received.dropped.requests).toBe(0);
  });

  it("keeps requests within maxReceivedBytes, counting large headers", async () => {
    await using server = await startServer({ logger: silentLogger, maxReceivedBytes: 10_000 });
    for (let index = 0; index < 6; index++) {
      await call(server, "/api/v1/sdk/flags", { headers: { "x-user-id": `${index}`.padEnd(4000, "-") } });
    }
    expect(server.received.requests).toHaveLength(2);
    expect(server.received.requests.map((entry) => entry.headers["x-user-id"]?.[0])).toEqual(["4", "5"]);
    expect(server.received.dropped.requests).toBe(4);
  });

  it("bounds stored events, identifies and telemetry the same way", async () => {
    await using server = await startServer({ logger: silentLogger, maxReceivedEntries: 4 });
    expect(await post(server, "/api/v1/sdk/events", { events: [0, 1, 2].map(event) })).toBe(200);
    expect(await post(server, "/api/v1/sdk/events", { events: [3, 4, 5].map(event) })).toBe(200);
    for (let index = 0; index < 6; index++) {
      await post(server, "/api/v1/sdk/identify", { user: { id: `u${index}` } });
      await post(server, "/api/v1/sdk/telemetry", { evaluations: {}, period_ms: index });
    }
    expect(server.received.events.map((entry) => entry["eventName"])).toEqual(["e2", "e3", "e4", "e5"]);
    expect(server.received.identifies.map((entry) => entry.user?.id)).toEqual(["u2", "u3", "u4", "u5"]);
    expect(server.received.telemetry.map((entry) => entry.period_ms)).toEqual([2, 3, 4, 5]);
    expect(server.received.dropped).toEqual({ requests: 10, identifies: 2, events: 2, telemetry: 2 });
  });

  it("keeps events within maxReceivedBytes, dropping a batch larger than the whole budget", async () => {
    await using server = await startServer({ logger: silentLogger, maxReceivedBytes: 2_000 });
    const padded = (index: number) => ({ ...event(index), metadata: { pad: "p".repeat(400) } });
    expect(await post(server, "/api/v1/sdk/events", { events: [0, 1, 2, 3, 4, 5].map(padded) })).toBe(200);
    expect(server.received.events.map((entry) => entry["eventName"])).toEqual(["e2", "e3", "e4", "e5"]);
    expect(await post(server, "/api/v1/sdk/events", { events: [{ ...event(9), metadata: { pad: "p".repeat(3000) } }] })).toBe(200);
    expect(server.received.events.map((entry) => entry["eventName"])).toEqual(["e2", "e3", "e4", "e5"]);
    expect(server.received.dropped.events).toBe(3);
  });

  it("forgets the least recently used identify session beyond maxSessions", async () => {
    await using server = await startServer({ logger: silentLogger, maxSessions: 2, flags: [PRO_ONLY] });
    const proFor = async (id: string) => json<{ flags: Record<string, boolean> }>(await call(server, `/api/v1/sdk/flags?user_id=${id}`)).flags["pro-only"];
    for (const id of ["u1", "u2"]) await post(server, "/api/v1/sdk/identify", { user: { id, attributes: { plan: "pro" } } });
    expect(await proFor("u1")).toBe(true); // u1 is now the most recently used
    await post(server, "/api/v1/sdk/identify", { user: { id: "u3", attributes: { plan: "pro" } } });
    expect([await proFor("u1"), await proFor("u2"), await proFor("u3")]).toEqual([true, false, true]);
  });

  it("forgets the oldest sessions beyond maxSessionBytes and refuses a session larger than all of it", async () => {
    await using server = await startServer({ logger: silentLogger, maxSessionBytes: 3_000, flags: [PRO_ONLY] });
    const proFor = async (id: string) => json<{ flags: Record<string, boolean> }>(await call(server, `/api/v1/sdk/flags?user_id=${id}`)).flags["pro-only"];
    const identify = (id: string, pad: number) => post(server, "/api/v1/sdk/identify", { user: { id, attributes: { plan: "pro", pad: "p".repeat(pad) } } });
    for (const id of ["u1", "u2", "u3"]) await identify(id, 1000);
    expect([await proFor("u1"), await proFor("u2"), await proFor("u3")]).toEqual([false, true, true]);
    await identify("huge", 5000);
    expect([await proFor("huge"), await proFor("u3")]).toEqual([false, true]);
  });

  it("answers stream connects beyond maxStreams with 503 and Retry-After, and accepts again once one closes", async () => {
    await using server = await startServer({ logger: silentLogger, maxStreams: 2, heartbeatInterval: 0 });
    const url = `${server.url}/api/v1/sdk/stream?token=${API_KEY}`;
    const open: SseConnection[] = [await openSse(url), await openSse(url)];
    const refused = await call(server, `/api/v1/sdk/stream?token=${API_KEY}`, { auth: false });
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("5");
    expect(json(refused)).toMatchObject({ error: { code: "ServerError", retryable: true } });
    expect(server.streamCount).toBe(2);
    open[0]?.close();
    await server.waitFor((s) => s.streamCount === 1);
    const again = await openSse(url);
    expect(again.status).toBe(200);
    open.push(again);
    for (const connection of open) connection.close();
  });

  it.each([
    ["maxReceivedEntries", { maxReceivedEntries: 0 }],
    ["maxReceivedBytes", { maxReceivedBytes: 1.5 }],
    ["maxSessions", { maxSessions: -1 }],
    ["maxSessionBytes", { maxSessionBytes: Number.NaN }],
    ["maxStreams", { maxStreams: 0 }],
  ])("refuses an invalid %s option", async (option, options) => {
    await expect(startServer({ logger: silentLogger, ...options })).rejects.toMatchObject({ option });
  });
});
