import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { silentLogger, type Logger } from "../../src/logger/logger";
import { startServer, type RollgateServer } from "../../src/server";
import { EventStreamHub } from "../../src/server/event-stream-hub";
import { FlagStore } from "../../src/server/flag-store";
import { IdentifySessions } from "../../src/server/identify-sessions";
import { ReceivedLog } from "../../src/server/received-log";
import { createRequestListener } from "../../src/server/request-router";
import { ServerFaults } from "../../src/server/server-faults";
import { API_KEY, call, json } from "./support/http-client";
import { openSse } from "./support/sse-reader";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
  "access-control-allow-headers": "*",
  "access-control-expose-headers": "ETag, Retry-After",
};

let server: RollgateServer;

beforeAll(async () => {
  server = await startServer({ logger: silentLogger, maxBodyBytes: 100, flags: [{ key: "a", enabled: true, rolloutPercentage: 100 }] });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => server.clearReceived());

describe("routing", () => {
  it("serves /health without auth", async () => {
    const reply = await call(server, "/health", { auth: false });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"status":"ok"}');
  });

  it.each(["/nope", "/api/v1/sdk/flags/", "/api/v1/sdk", "/page.jsx"])("answers Go's 404 for %s", async (path) => {
    const reply = await call(server, path);
    expect(reply.status).toBe(404);
    expect(reply.text).toBe("404 page not found\n");
    expect(reply.headers["content-type"]).toBe("text/plain; charset=utf-8");
  });

  it.each(["identify", "events", "telemetry"])("answers 405 to a GET on %s", async (name) => {
    const reply = await call(server, `/api/v1/sdk/${name}`);
    expect(reply.status).toBe(405);
    expect(reply.text).toBe("Method not allowed\n");
  });

  it.each(["/api/v1/sdk/flags", "/api/v1/sdk/identify", "/nowhere", "/admin/flags"])("answers OPTIONS %s with 200, no body and the CORS headers", async (path) => {
    const reply = await call(server, path, { method: "OPTIONS", auth: false });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("");
    expect(reply.headers).toMatchObject(CORS);
  });

  it.each([
    ["a 200", "/api/v1/sdk/flags", {}],
    ["a 401", "/api/v1/sdk/flags", { auth: false }],
    ["a 404", "/missing", {}],
    ["a 405", "/api/v1/sdk/events", {}],
    ["health", "/health", {}],
  ])("puts the CORS headers on %s", async (_name, path, options) => {
    expect((await call(server, path, options)).headers).toMatchObject(CORS);
  });
});

describe("request bodies", () => {
  it.each(["identify", "events", "telemetry"])("answers 413 with a JSON error to an oversized body on %s, and keeps serving", async (name) => {
    const reply = await call(server, `/api/v1/sdk/${name}`, { method: "POST", body: JSON.stringify({ pad: "x".repeat(500) }) });
    expect(reply.status).toBe(413);
    expect(json(reply)).toMatchObject({ error: "PayloadTooLargeError" });
    expect(reply.headers).toMatchObject(CORS);
    expect((await call(server, "/api/v1/sdk/flags")).status).toBe(200);
  });

  it("survives a client that disconnects in the middle of a body", async () => {
    const socket = connect(server.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write(`POST /api/v1/sdk/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Length: 90\r\n\r\n{"events":`);
    await server.waitFor((s) => s.received.requests.length === 1);
    socket.destroy();
    expect((await call(server, "/health")).status).toBe(200);
  });

  it("survives garbage on the socket", async () => {
    const socket = connect(server.port, "127.0.0.1");
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
      socket.write("NOT HTTP AT ALL\r\n\r\n");
    });
    expect(answer).toContain("400");
    expect((await call(server, "/health")).status).toBe(200);
  });
});

describe("the request log", () => {
  it("records method, path, query, selected headers and status, never the key", async () => {
    await call(server, "/api/v1/sdk/flags?user_id=u1&withReasons=true", {
      headers: { "if-none-match": '"x"', "x-user-id": "u1", "user-agent": "rollgate-node/0.1.0", "x-sdk-name": "rollgate-node", "x-sdk-version": "0.1.0", accept: "application/json" },
    });
    const sse = await openSse(`${server.url}/api/v1/sdk/stream?token=${API_KEY}&user_id=u1`);
    sse.close();
    await call(server, "/admin/flags", { auth: false });
    const [flags, stream] = server.received.requests;
    expect(server.received.requests).toHaveLength(2);
    expect(flags).toMatchObject({
      method: "GET",
      path: "/api/v1/sdk/flags",
      query: { user_id: "u1", withReasons: "true" },
      headers: {
        authorization: true,
        "if-none-match": '"x"',
        "x-user-id": "u1",
        "user-agent": "rollgate-node/0.1.0",
        "x-sdk-name": "rollgate-node",
        "x-sdk-version": "0.1.0",
        accept: "application/json",
      },
      status: 200,
    });
    expect(stream).toMatchObject({ method: "GET", query: { token: "<redacted>", user_id: "u1" }, headers: { authorization: false }, status: 200 });
    expect(stream!.seq).toBeGreaterThan(flags!.seq);
    expect(JSON.stringify(server.received)).not.toContain(API_KEY);
  });
});

describe("createRequestListener", () => {
  let bare: Server;
  const errors: string[] = [];

  beforeAll(async () => {
    const logger: Logger = { ...silentLogger, error: (message) => errors.push(message) };
    const store = new FlagStore();
    Object.defineProperty(store, "all", {
      get() {
        throw new Error("boom");
      },
    });
    const received = new ReceivedLog();
    const streams = new EventStreamHub(0, () => {});
    const listener = createRequestListener({
      apiKey: API_KEY,
      adminToken: "t",
      store,
      sessions: new IdentifySessions(),
      faults: new ServerFaults(streams),
      received,
      streams,
      logger,
      maxBodyBytes: 1000,
      maxStreams: 10,
      admin: true,
      logRequests: false,
      storage: () => ({ writes: false }),
      writer: undefined,
      regexBudgetExceeded: () => {},
      v2: true,
      v2ETag: false,
      shutdown: new AbortController().signal,
    });
    bare = createServer(listener);
    await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    bare.closeAllConnections();
    await new Promise((resolve) => bare.close(resolve));
  });

  it("turns a failing handler into a 500 and a logged error instead of a crash", async () => {
    const url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    const fake = { url } as RollgateServer;
    const reply = await call(fake, "/api/v1/sdk/flags");
    expect(reply.status).toBe(500);
    expect(reply.text).toBe("Internal Server Error\n");
    expect(errors).toEqual(["The local Rollgate server failed to handle a request."]);
    expect((await call(fake, "/health")).status).toBe(200);
  });
});
