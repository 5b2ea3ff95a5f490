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
  call(server, "/api/v1/sdk/events", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

const event = (extra: object = {}) => ({ flagKey: "checkout-redesign", eventName: "purchase", userId: "user-123", ...extra });

describe("POST /api/v1/sdk/events", () => {
  it("accepts a batch and answers the number of events", async () => {
    const batch = [
      event({ variationId: "variant-b", value: 29.99, metadata: { currency: "EUR" }, timestamp: "2026-02-23T10:15:30.123Z" }),
      event({ timestamp: "2026-02-23T10:15:30+00:00" }),
      event(),
    ];
    const reply = await post({ events: batch });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"received":3}');
    expect(server.received.events).toEqual(batch);
  });

  it.each([
    ["an empty batch", { events: [] }, 0],
    ["no events key", {}, 0],
    ["null events", { events: null }, 0],
  ])("answers 0 for %s", async (_name, body, received) => {
    expect((await post(body)).text).toBe(`{"received":${received}}`);
  });

  it.each([
    ["a timestamp without T", { events: [event(), event({ timestamp: "2026-02-23 10:15:30Z" })] }],
    ["a timestamp without zone", { events: [event({ timestamp: "2026-02-23T10:15:30" })] }],
    ["a numeric timestamp", { events: [event({ timestamp: 1708683330 })] }],
    ["a value that is not a number", { events: [event({ value: "29.99" })] }],
    ["metadata that is not an object", { events: [event({ metadata: ["EUR"] })] }],
    ["a flagKey that is not a string", { events: [event({ flagKey: 1 })] }],
    ["events that are not a list", { events: {} }],
    ["malformed JSON", "{\"events\": ["],
  ])("fails the whole batch with a plain-text 400 for %s", async (_name, body) => {
    const reply = await post(body);
    expect(reply.status).toBe(400);
    expect(reply.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(reply.text.endsWith("\n")).toBe(true);
    expect(server.received.events).toEqual([]);
  });

  it("refuses a wrong key with 401 and other methods with 405", async () => {
    expect((await call(server, "/api/v1/sdk/events", { method: "POST", body: "{}", auth: false })).status).toBe(401);
    expect((await call(server, "/api/v1/sdk/events", { method: "PUT", body: "{}" })).status).toBe(405);
  });
});
