import { silentLogger } from "../../../src/logger/logger";
import { startServer, type RollgateServer } from "../../../src/server";
import { call, json } from "../support/http-client";

let server: RollgateServer;

beforeEach(async () => {
  server = await startServer({
    logger: silentLogger,
    flags: [
      {
        key: "pro-feature",
        enabled: true,
        rules: [{ id: "pro", enabled: true, conditions: [{ attribute: "plan", operator: "eq", value: "pro" }], rolloutPercentage: 100 }],
      },
      {
        key: "staff-feature",
        enabled: true,
        rules: [{ id: "staff", enabled: true, conditions: [{ attribute: "email", operator: "ends_with", value: "@example.com" }], rolloutPercentage: 100 }],
      },
    ],
  });
});

afterEach(async () => {
  await server.close();
});

const identify = (body: string, headers: Record<string, string> = {}) => call(server, "/api/v1/sdk/identify", { method: "POST", body, headers });

async function flagsFor(userId: string): Promise<Record<string, boolean>> {
  return json<{ flags: Record<string, boolean> }>(await call(server, `/api/v1/sdk/flags?user_id=${userId}`)).flags;
}

describe("POST /api/v1/sdk/identify", () => {
  it("answers {\"success\":true} and makes the session count for user_id on v1 and v2", async () => {
    const reply = await identify(JSON.stringify({ user: { id: "u1", email: "u1@example.com", attributes: { plan: "pro" } } }));
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"success":true}');
    expect(reply.headers["content-type"]).toBe("application/json");
    expect(await flagsFor("u1")).toEqual({ "pro-feature": true, "staff-feature": true });
    const v2 = json<{ flags: Record<string, { enabled: boolean }> }>(await call(server, "/api/v1/sdk/v2/flags?user_id=u1"));
    expect(v2.flags["pro-feature"]?.enabled).toBe(true);
    expect(server.received.identifies).toEqual([
      { user: { id: "u1", email: "u1@example.com", attributes: { plan: "pro" } }, body: { user: { id: "u1", email: "u1@example.com", attributes: { plan: "pro" } } } },
    ]);
  });

  it("replaces the session: Go's Reset (same id, no attributes) blanks it", async () => {
    await identify(JSON.stringify({ user: { id: "u1", attributes: { plan: "pro" } } }));
    await identify(JSON.stringify({ user: { id: "u1", email: "", attributes: null } }));
    expect(await flagsFor("u1")).toEqual({ "pro-feature": false, "staff-feature": false });
  });

  it.each([
    ["a body that is not JSON", "{not json"],
    ["an empty body", ""],
    ["no user", "{}"],
    ["an empty id", JSON.stringify({ user: { id: "", attributes: { plan: "pro" } } })],
    ["an id of the wrong type", JSON.stringify({ user: { id: 42 } })],
    ["attributes of the wrong type", JSON.stringify({ user: { id: "u1", attributes: "pro" } })],
    ["a top-level array", "[]"],
  ])("still answers 200 for %s, storing nothing", async (_name, body) => {
    const reply = await identify(body);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"success":true}');
    expect(server.received.identifies).toHaveLength(1);
    expect(server.received.identifies[0]?.user).toBeNull();
    expect(await flagsFor("u1")).toEqual({ "pro-feature": false, "staff-feature": false });
  });

  it("matches field names case-insensitively, as Go does", async () => {
    await identify(JSON.stringify({ User: { ID: "u1", Attributes: { plan: "pro" } } }));
    expect((await flagsFor("u1"))["pro-feature"]).toBe(true);
  });

  it("refuses a wrong key with 401 and other methods with 405", async () => {
    expect((await call(server, "/api/v1/sdk/identify", { method: "POST", body: "{}", auth: false })).status).toBe(401);
    const reply = await call(server, "/api/v1/sdk/identify", { method: "GET" });
    expect(reply.status).toBe(405);
    expect(reply.text).toBe("Method not allowed\n");
    expect(server.received.identifies).toHaveLength(0);
  });
});
