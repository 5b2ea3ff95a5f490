import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { AuthenticationError, NetworkError, RequestError, ServerError } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { toConversionEvent } from "../../src/events/to-conversion-event";
import type { ConversionEvent } from "../../src/transport/delivery-bodies";
import { HttpFlagsTransport } from "../../src/transport/http-flags-transport";
import { RecordingLogger, startTestServer } from "../support/test-client";

/**
 * The two delivery POSTs of the HTTP transport (PROTOCOL.md §1.5, §1.6) against the local
 * server, which decodes them as the reference server does, and against a bare server that keeps
 * the raw bytes.
 */

let server: RollgateServer;
const signal = new AbortController().signal;

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function transportFor(baseUrl: string, apiKey = server.apiKey): HttpFlagsTransport {
  return new HttpFlagsTransport({ baseUrl, apiKey, maxPayloadBytes: 1 << 20, logger: new RecordingLogger(), dispatcher: undefined, now: () => 0 });
}

function event(input: Record<string, unknown>, at = Date.UTC(2026, 1, 23, 10, 15, 30, 123)): ConversionEvent {
  const result = toConversionEvent(input, at);
  if ("field" in result) throw new Error(`invalid test event: ${result.field}`);
  return result.event;
}

/** POSTs a raw body, as a client that did not round or format would. */
async function rawPost(path: string, body: string): Promise<number> {
  const response = await request(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${server.apiKey}` }, body });
  await response.body.dump();
  return response.statusCode;
}

/** A bare server that records each request body and answers `status`. */
async function captureServer(status = 200): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const http: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      bodies.push(body);
      res.writeHead(status, { "content-type": "application/json" }).end('{"received":1}');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    bodies,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

describe("postEvents", () => {
  it("sends camelCase events with absent fields left out and RFC 3339 timestamps, which the reference decoding accepts", async () => {
    const transport = transportFor(server.url);
    const full = event({ flagKey: "checkout-redesign", eventName: "purchase", userId: "user-123", variationId: "variant-b", value: 29.99, metadata: { currency: "EUR" } });
    const bare = event({ flagKey: "checkout-redesign", eventName: "signup", userId: "user-456", variationId: undefined, value: undefined });
    await transport.postEvents([full, bare], signal);
    await transport.close();

    expect(server.received.events).toEqual([
      { flagKey: "checkout-redesign", eventName: "purchase", userId: "user-123", variationId: "variant-b", value: 29.99, metadata: { currency: "EUR" }, timestamp: "2026-02-23T10:15:30.123Z" },
      { flagKey: "checkout-redesign", eventName: "signup", userId: "user-456", timestamp: "2026-02-23T10:15:30.123Z" },
    ]);
    expect(Object.keys(server.received.events[1]!)).toEqual(["flagKey", "eventName", "userId", "timestamp"]);
    const posted = server.received.requests.find((r) => r.path === "/api/v1/sdk/events")!;
    expect(posted).toMatchObject({ method: "POST", status: 200, headers: { authorization: true, "x-sdk-name": "rollgate-node" } });
  });

  it("puts exactly the protocol's bytes on the wire: no null, no undefined, a T in every timestamp", async () => {
    const capture = await captureServer();
    const transport = transportFor(capture.url);
    await transport.postEvents([event({ flagKey: "f", eventName: "e", userId: "u", value: 0 }, 0)], signal);
    await transport.close();
    await capture.close();
    expect(capture.bodies).toEqual(['{"events":[{"flagKey":"f","eventName":"e","userId":"u","value":0,"timestamp":"1970-01-01T00:00:00.000Z"}]}']);
  });

  it("would be refused by the server with a timestamp without T: the local server enforces it, so its acceptance above proves ours", async () => {
    const status = await rawPost("/api/v1/sdk/events", '{"events":[{"flagKey":"f","eventName":"e","userId":"u","timestamp":"2026-02-23 10:15:30"}]}');
    expect(status).toBe(400);
    expect(server.received.events).toEqual([]);
  });

  it("rejects with typed errors classified by status", async () => {
    const refused = transportFor(server.url, "wrong-key");
    await expect(refused.postEvents([event({ flagKey: "f", eventName: "e", userId: "u" })], signal)).rejects.toBeInstanceOf(AuthenticationError);
    await refused.close();
    for (const [status, type] of [[400, RequestError], [413, RequestError], [503, ServerError], [408, ServerError]] as const) {
      const capture = await captureServer(status);
      const transport = transportFor(capture.url);
      await expect(transport.postEvents([], signal)).rejects.toBeInstanceOf(type);
      await transport.close();
      await capture.close();
    }
    const closedPort = await captureServer();
    await closedPort.close();
    const unreachable = transportFor(closedPort.url);
    await expect(unreachable.postEvents([], signal)).rejects.toBeInstanceOf(NetworkError);
    await unreachable.close();
  });
});

describe("postTelemetry", () => {
  it("sends integer counters and an integer period_ms, even from a fractional clock", async () => {
    const transport = transportFor(server.url);
    await transport.postTelemetry({ evaluations: { "new-feature": { total: 10, true: 7, false: 3 }, theme: { total: 2, true: 2, false: 0 } }, period_ms: 12.5 }, signal);
    await transport.close();
    expect(server.received.telemetry).toEqual([
      { evaluations: { "new-feature": { total: 10, true: 7, false: 3 }, theme: { total: 2, true: 2, false: 0 } }, period_ms: 13 },
    ]);
  });

  it("puts snake_case period_ms on the wire", async () => {
    const capture = await captureServer();
    const transport = transportFor(capture.url);
    await transport.postTelemetry({ evaluations: { f: { total: 10, true: 7, false: 3 } }, period_ms: 60_000 }, signal);
    await transport.close();
    await capture.close();
    expect(capture.bodies).toEqual(['{"evaluations":{"f":{"total":10,"true":7,"false":3}},"period_ms":60000}']);
  });

  it("would be refused by the server with a period_ms of 12.5", async () => {
    expect(await rawPost("/api/v1/sdk/telemetry", '{"evaluations":{},"period_ms":12.5}')).toBe(400);
    expect(server.received.telemetry).toEqual([]);
  });

  it("rejects a wrong key with AuthenticationError", async () => {
    const transport = transportFor(server.url, "wrong-key");
    await expect(transport.postTelemetry({ evaluations: {}, period_ms: 1 }, signal)).rejects.toBeInstanceOf(AuthenticationError);
    await transport.close();
  });
});
