import { silentLogger } from "../../../src/logger/logger";
import { startServer, type RollgateServer } from "../../../src/server";
import { call } from "../support/http-client";

let server: RollgateServer;

beforeAll(async () => {
  server = await startServer({ logger: silentLogger });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => server.clearReceived());

const post = (body: unknown) =>
  call(server, "/api/v1/sdk/telemetry", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

describe("POST /api/v1/sdk/telemetry", () => {
  it("answers the sum of the totals", async () => {
    const body = {
      evaluations: { "enabled-flag": { total: 7, true: 7, false: 0 }, "disabled-flag": { total: 3, true: 0, false: 3 } },
      period_ms: 60012,
    };
    const reply = await post(body);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"received":10}');
    expect(server.received.telemetry).toEqual([body]);
  });

  it("accepts an empty report", async () => {
    expect((await post({ evaluations: {}, period_ms: 0 })).text).toBe('{"received":0}');
  });

  it.each([
    ["a fractional period_ms", { evaluations: {}, period_ms: 12.5 }],
    ["a string period_ms", { evaluations: {}, period_ms: "60000" }],
    ["a fractional counter", { evaluations: { a: { total: 1.5, true: 1, false: 0 } }, period_ms: 1 }],
    ["evaluations that are a list", { evaluations: [], period_ms: 1 }],
    ["malformed JSON", "{"],
  ])("answers a plain-text 400 for %s", async (_name, body) => {
    const reply = await post(body);
    expect(reply.status).toBe(400);
    expect(reply.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(server.received.telemetry).toEqual([]);
  });

  it("refuses a wrong key with 401 and other methods with 405", async () => {
    expect((await call(server, "/api/v1/sdk/telemetry", { method: "POST", body: "{}", auth: false })).status).toBe(401);
    expect((await call(server, "/api/v1/sdk/telemetry", { method: "GET" })).status).toBe(405);
  });
});
