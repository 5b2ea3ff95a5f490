import { silentLogger } from "../../../src/logger/logger";
import { startServer, type RollgateServer } from "../../../src/server";
import { admin, call, userContextHeader } from "../support/http-client";

let server: RollgateServer;

beforeAll(async () => {
  server = await startServer({ logger: silentLogger, flagsFile: "examples/flags.json" });
});

afterAll(async () => {
  await server.close();
});

describe("POST /admin/evaluate", () => {
  it.each([
    { id: "user-123" },
    { id: "visitor", email: "someone@example.com", attributes: { plan: "pro", country: "DE" } },
    { id: "" },
  ])("answers exactly what the v2 endpoint serves to %j", async (user) => {
    const evaluated = await admin(server, "POST", "/admin/evaluate", user);
    const served = await call(server, "/api/v1/sdk/v2/flags", user.id ? { headers: { "x-user-context": userContextHeader(user) } } : {});
    expect(evaluated.status).toBe(200);
    expect(evaluated.text).toBe(served.text);
  });

  it.each([
    ["not JSON", "{", "InvalidJSON"],
    ["not a user", '{"id": 42}', "InvalidUser"],
    ["an array", "[]", "InvalidUser"],
  ])("refuses a body that is %s with 400", async (_name, body, error) => {
    const reply = await call(server, "/admin/evaluate", { method: "POST", auth: false, headers: { authorization: `Bearer ${server.adminToken}` }, body });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ error });
  });

  it("needs the admin token and POST", async () => {
    expect((await call(server, "/admin/evaluate", { method: "POST", body: "{}" })).status).toBe(401);
    expect((await admin(server, "GET", "/admin/evaluate")).status).toBe(404);
  });
});
