import { silentLogger } from "../../../src/logger/logger";
import { startServer, type RollgateServer } from "../../../src/server";
import { admin, call, json } from "../support/http-client";

let server: RollgateServer;

beforeEach(async () => {
  server = await startServer({
    logger: silentLogger,
    adminToken: "admin-secret",
    flags: {
      flags: [
        { key: "a", enabled: true, rolloutPercentage: 100 },
        { key: "b", enabled: false },
      ],
      segments: { s: { conditions: [] } },
    },
  });
});

afterEach(async () => {
  await server.close();
});

describe("the admin API", () => {
  it.each([
    ["no token", {}],
    ["the API key", { authorization: "Bearer rg_server_local_dev_key" }],
    ["a bare token", { authorization: "admin-secret" }],
    ["a wrong token", { authorization: "Bearer nope" }],
  ])("refuses %s with 401", async (_name, headers) => {
    const reply = await call(server, "/admin/flags", { auth: false, headers });
    expect(reply.status).toBe(401);
    expect(json(reply)).toMatchObject({ error: "Unauthorized" });
    expect(reply.headers["access-control-allow-origin"]).toBe("*");
  });

  it("exposes a random admin token by default", async () => {
    const other = await startServer({ logger: silentLogger });
    try {
      expect(other.adminToken.length).toBeGreaterThanOrEqual(20);
      expect((await admin(other, "GET", "/admin/flags")).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it("lists every flag and segment as a flags file", async () => {
    const reply = await admin(server, "GET", "/admin/flags");
    expect(json(reply)).toEqual({
      flags: [
        { key: "a", enabled: true, rolloutPercentage: 100 },
        { key: "b", enabled: false },
      ],
      segments: { s: { conditions: [] } },
    });
  });

  it("gets, puts and deletes one flag", async () => {
    expect(json(await admin(server, "GET", "/admin/flags/a"))).toEqual({ key: "a", enabled: true, rolloutPercentage: 100 });
    expect((await admin(server, "GET", "/admin/flags/zz")).status).toBe(404);
    expect(json(await admin(server, "PUT", "/admin/flags/c", { enabled: true, rolloutPercentage: 100 }))).toEqual({ changed: ["c"] });
    expect(server.getFlag("c")).toEqual({ key: "c", enabled: true, rolloutPercentage: 100 });
    expect(json(await admin(server, "DELETE", "/admin/flags/c"))).toEqual({ changed: ["c"] });
    expect((await admin(server, "DELETE", "/admin/flags/c")).status).toBe(404);
    expect(json<{ flags: Record<string, boolean> }>(await call(server, "/api/v1/sdk/flags")).flags).toEqual({ a: true, b: false });
  });

  it("decodes percent-encoded keys", async () => {
    await admin(server, "PUT", `/admin/flags/${encodeURIComponent("x/y z")}`, { enabled: true });
    expect(server.getFlag("x/y z")?.enabled).toBe(true);
  });

  it("refuses an invalid definition with 400 naming the path, and a key that differs from the path", async () => {
    const invalid = await admin(server, "PUT", "/admin/flags/a", { enabled: true, rolloutPercentage: 101 });
    expect(invalid.status).toBe(400);
    expect(json(invalid)).toMatchObject({ error: "InvalidDefinition", issues: [{ path: "rolloutPercentage" }] });
    expect(json<{ message: string }>(invalid).message).toContain("rolloutPercentage: expected a number from 0 to 100");
    expect((await admin(server, "PUT", "/admin/flags/a", { key: "other", enabled: true })).status).toBe(400);
    expect((await call(server, "/admin/flags/a", { method: "PUT", auth: false, headers: { authorization: "Bearer admin-secret" }, body: "{" })).status).toBe(400);
    expect(server.getFlag("a")).toEqual({ key: "a", enabled: true, rolloutPercentage: 100 });
  });

  it("replaces the whole flags file", async () => {
    const reply = await admin(server, "PUT", "/admin/flags", { flags: [{ key: "a", enabled: true, rolloutPercentage: 100 }, { key: "new", enabled: true }] });
    expect(json(reply)).toEqual({ changed: ["b", "new"] });
    expect((await admin(server, "PUT", "/admin/flags", { flags: [{ key: "a" }] })).status).toBe(400);
  });

  it("puts and deletes segments", async () => {
    const segment = { conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] };
    expect(json(await admin(server, "PUT", "/admin/segments/pro", segment))).toEqual({ changed: [] });
    expect(json(await admin(server, "GET", "/admin/segments/pro"))).toEqual(segment);
    expect(json(await admin(server, "GET", "/admin/segments"))).toEqual({ s: { conditions: [] }, pro: segment });
    expect(json(await admin(server, "DELETE", "/admin/segments/pro"))).toEqual({ changed: [] });
    expect((await admin(server, "DELETE", "/admin/segments/pro")).status).toBe(404);
    expect((await admin(server, "PUT", "/admin/segments/bad", { conditions: [{ attribute: "a", operator: "nope", value: 1 }] })).status).toBe(400);
  });

  it("answers 404 for unknown admin routes and 405 for wrong methods", async () => {
    expect((await admin(server, "GET", "/admin/nothing")).status).toBe(404);
    expect((await admin(server, "GET", "/admin/flags/a/extra")).status).toBe(404);
    expect((await admin(server, "POST", "/admin/flags/a", {})).status).toBe(405);
    expect((await admin(server, "GET", "/admin/faults")).status).toBe(405);
  });

  it("applies and clears faults", async () => {
    expect(json(await admin(server, "POST", "/admin/faults", { fault: "failFlags", status: 503, count: 1 }))).toEqual({ applied: true });
    expect((await call(server, "/api/v1/sdk/flags")).status).toBe(503);
    expect((await call(server, "/api/v1/sdk/flags")).status).toBe(200);
    await admin(server, "POST", "/admin/faults", { fault: "failFlags", status: 500, count: "all" });
    expect(json(await admin(server, "DELETE", "/admin/faults"))).toEqual({ cleared: true });
    expect((await call(server, "/api/v1/sdk/flags")).status).toBe(200);
  });

  it.each([
    [{ fault: "explode" }, "fault"],
    [{ fault: "failFlags", status: 99 }, "status"],
    [{ fault: "failFlags", status: 503, count: 0 }, "count"],
    [{ fault: "delay" }, "ms"],
    [{ fault: "malformed", kind: "weird" }, "kind"],
    [{ fault: "stallStreams", on: "yes" }, "on"],
    [{ fault: "dropStreams", extra: 1 }, ""],
  ])("refuses the fault command %j with 400", async (command, path) => {
    const reply = await admin(server, "POST", "/admin/faults", command);
    expect(reply.status).toBe(400);
    expect(json<{ message: string }>(reply).message).toContain(path);
  });
});
