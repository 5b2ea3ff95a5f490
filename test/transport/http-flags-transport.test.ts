import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PayloadError, RollgateClient } from "rollgate";
import { defaultLogger } from "../../src/logger/logger";
import { HttpFlagsTransport } from "../../src/transport/http-flags-transport";
import { RecordingLogger } from "../support/test-client";

/**
 * Issue 13 item 12: a 304 is only an answer to the ETag we sent. A 304 to a request without
 * `If-None-Match`, or one naming another ETag, would promote whatever the client holds (after
 * identify(), another user's flags) to fresh server flags.
 */

interface NotModifiedServer {
  readonly url: string;
  /** The If-None-Match of every request, `undefined` when absent. */
  readonly sent: (string | undefined)[];
  close(): Promise<void>;
}

/** Answers 304 to everything, with `etag` as its ETag header when given. */
async function startNotModifiedServer(etag?: string): Promise<NotModifiedServer> {
  const sent: (string | undefined)[] = [];
  const server: Server = createServer((request, reply) => {
    sent.push(request.headers["if-none-match"]);
    request.resume();
    reply.writeHead(304, etag === undefined ? {} : { etag });
    reply.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("HttpFlagsTransport and 304", () => {
  let server: NotModifiedServer;
  let transport: HttpFlagsTransport;
  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  async function fetchWith(serverEtag: string | undefined, sentEtag: string | undefined) {
    server = await startNotModifiedServer(serverEtag);
    transport = new HttpFlagsTransport({ baseUrl: server.url, apiKey: "rg_server_k", maxPayloadBytes: 1024, logger: defaultLogger, dispatcher: undefined, now: () => 0 });
    return transport.fetchFlags({ user: undefined, etag: sentEtag }, new AbortController().signal);
  }

  it("rejects a 304 to a request sent without If-None-Match as a PayloadError", async () => {
    const outcome = fetchWith(undefined, undefined);
    await expect(outcome).rejects.toBeInstanceOf(PayloadError);
    await expect(outcome).rejects.toThrow(/304.*without If-None-Match|no ETag/);
    expect(server.sent).toEqual([undefined]);
  });

  it("rejects a 304 whose ETag is not the one we sent", async () => {
    await expect(fetchWith('"other"', '"ours"')).rejects.toBeInstanceOf(PayloadError);
  });

  it("accepts a 304 to our ETag, with the same ETag, a weak form of it, or none", async () => {
    await expect(fetchWith('"ours"', '"ours"')).resolves.toEqual({ kind: "not-modified" });
    await transport.close();
    await server.close();
    await expect(fetchWith('W/"ours"', '"ours"')).resolves.toEqual({ kind: "not-modified" });
    await transport.close();
    await server.close();
    await expect(fetchWith(undefined, '"ours"')).resolves.toEqual({ kind: "not-modified" });
  });
});

describe("a client facing a server that answers 304 to everything", () => {
  it("never takes the 304 as confirmation of its (default) flags", async () => {
    const server = await startNotModifiedServer();
    const client = new RollgateClient({ apiKey: "rg_server_k", baseUrl: server.url, cache: false, refreshInterval: 0, retry: { maxRetries: 0 }, logger: new RecordingLogger() });
    try {
      await client.init();
      const status = client.getStatus();
      expect(status.lastError).toBeInstanceOf(PayloadError);
      expect(status.source).not.toBe("server");
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe("HttpFlagsTransport and a base URL with a path", () => {
  it("sends every request under the base URL's path, with the query after it", async () => {
    const seen: string[] = [];
    const server = createServer((request, reply) => {
      seen.push(`${request.method} ${request.url}`);
      request.resume();
      reply.writeHead(request.method === "GET" ? 200 : 202, { "content-type": "application/json" });
      reply.end(request.method === "GET" ? JSON.stringify({ flags: {} }) : "{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rollgate/eu`;
    const transport = new HttpFlagsTransport({ baseUrl, apiKey: "rg_server_test", maxPayloadBytes: 1024, logger: defaultLogger, dispatcher: undefined, now: () => 0 });
    try {
      const signal = new AbortController().signal;
      await transport.fetchFlags({ user: { id: "u 1" }, etag: undefined }, signal);
      await transport.postIdentify({ id: "u 1" }, signal);
      await transport.postEvents([], signal);
      expect(seen).toEqual(["GET /rollgate/eu/api/v1/sdk/v2/flags?user_id=u%201", "POST /rollgate/eu/api/v1/sdk/identify", "POST /rollgate/eu/api/v1/sdk/events"]);
    } finally {
      await transport.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("HttpFlagsTransport after close()", () => {
  it("refuses requests at once instead of creating a new connection pool that nothing would destroy", async () => {
    const transport = new HttpFlagsTransport({ baseUrl: "http://127.0.0.1:9", apiKey: "rg_server_test", maxPayloadBytes: 1024, logger: defaultLogger, dispatcher: undefined, now: () => 0 });
    await transport.close();
    const signal = new AbortController().signal;
    await expect(transport.fetchFlags({ user: undefined, etag: undefined }, signal)).rejects.toMatchObject({ code: "CLIENT_CLOSED", message: expect.stringMatching(/after close\(\)/) });
    await expect(transport.postIdentify({ id: "u" }, signal)).rejects.toMatchObject({ code: "CLIENT_CLOSED" });
    await expect(transport.dispatcher()).rejects.toMatchObject({ code: "CLIENT_CLOSED" });
  });
});

describe("HttpFlagsTransport's first request", () => {
  it("goes over node:http on a connection of its own, with the same headers and query; the rest go on undici's keep-alive pool", async () => {
    const seen: { url: string | undefined; port: number | undefined; connection: string | undefined; authorization: string | undefined; context: string | undefined }[] = [];
    const server = createServer((request, reply) => {
      seen.push({ url: request.url, port: request.socket.remotePort, connection: request.headers.connection, authorization: request.headers.authorization, context: request.headers["x-user-context"] as string | undefined });
      request.resume();
      reply.writeHead(200, { "content-type": "application/json", etag: '"e1"' });
      reply.end(JSON.stringify({ flags: { a: { key: "a", type: "boolean", value: true, enabled: true, reason: { kind: "FALLTHROUGH" } } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = new HttpFlagsTransport({ baseUrl, apiKey: "rg_server_test", maxPayloadBytes: 4096, logger: defaultLogger, dispatcher: undefined, now: () => 0 });
    try {
      const signal = new AbortController().signal;
      const user = { id: "u 1", attributes: { plan: "pro" } };
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await transport.fetchFlags({ user, etag: undefined }, signal));
      expect(answers.map((answer) => (answer.kind === "updated" ? [answer.etag, answer.flags.get("a")?.value] : answer.kind))).toEqual([['"e1"', true], ['"e1"', true], ['"e1"', true]]);
      expect(seen.map(({ url }) => url)).toEqual(Array(3).fill("/api/v1/sdk/v2/flags?user_id=u%201"));
      // Same credentials and user context on both paths.
      expect(new Set(seen.map(({ authorization, context }) => `${authorization} ${context}`)).size).toBe(1);
      expect(seen.map(({ connection }) => connection)).toEqual(["close", "keep-alive", "keep-alive"]);
    } finally {
      await transport.close();
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    }
  });
});

describe("HttpFlagsTransport's `answered`", () => {
  interface Scripted {
    readonly status: number;
    readonly body: string;
    readonly etag?: string;
  }
  const V2_BODY = JSON.stringify({ flags: { a: { key: "a", type: "boolean", value: true, enabled: true, reason: { kind: "FALLTHROUGH" } } } });

  /** Answers each request with the next scripted answer; returns the paths asked and what `answered` saw. */
  async function fetchAgainst(script: Scripted[], etag?: string) {
    const paths: string[] = [];
    const server = createServer((request, reply) => {
      paths.push(request.url!.split("?")[0]!);
      request.resume();
      const next = script.shift()!;
      reply.writeHead(next.status, { "content-type": "application/json", ...(next.etag === undefined ? {} : { etag: next.etag }) });
      reply.end(next.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const transport = new HttpFlagsTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: "rg_server_k", maxPayloadBytes: 4096, logger: defaultLogger, dispatcher: undefined, now: () => 0 });
    let answeredCalls = 0;
    try {
      const outcome = transport.fetchFlags({ user: { id: "u" }, etag }, new AbortController().signal, () => answeredCalls++);
      const result = await outcome.then(
        (response) => response.kind,
        (error: { code: string }) => error.code,
      );
      return { result, paths, answeredCalls };
    } finally {
      await transport.close();
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    }
  }

  it("is called once a 200 is in whole, before its body is decoded: also for a body that then fails to decode", async () => {
    expect(await fetchAgainst([{ status: 200, body: V2_BODY }])).toEqual({ result: "updated", paths: ["/api/v1/sdk/v2/flags"], answeredCalls: 1 });
    expect(await fetchAgainst([{ status: 200, body: "{not json" }])).toMatchObject({ result: "PAYLOAD_INVALID", answeredCalls: 1 });
  });

  it("is called for a 304", async () => {
    expect(await fetchAgainst([{ status: 304, body: "", etag: '"e"' }], '"e"')).toMatchObject({ result: "not-modified", answeredCalls: 1 });
  });

  it("is not called for an error status, nor for the typed endpoint's 404 (the same call asks v1 next), but for v1's answer", async () => {
    expect(await fetchAgainst([{ status: 503, body: "{}" }])).toMatchObject({ result: "SERVER_ERROR", answeredCalls: 0 });
    expect(await fetchAgainst([{ status: 400, body: "{}" }])).toMatchObject({ result: "REQUEST_REJECTED", answeredCalls: 0 });
    const v1Body = JSON.stringify({ flags: { a: true } });
    expect(await fetchAgainst([{ status: 404, body: "404 page not found" }, { status: 200, body: v1Body }])).toEqual({
      result: "updated",
      paths: ["/api/v1/sdk/v2/flags", "/api/v1/sdk/flags"],
      answeredCalls: 1,
    });
  });
});

describe("HttpFlagsTransport's decoding turn", () => {
  const V2_BODY = JSON.stringify({ flags: { a: { key: "a", type: "boolean", value: true, enabled: true, reason: { kind: "FALLTHROUGH" } } } });

  it("decodes a lone answer at once, and one that comes in while another request is out in a later turn of the event loop", async () => {
    // Answers user "quick" at once and holds user "slow" until released.
    let releaseSlow = (): void => undefined;
    const server = createServer((request, reply) => {
      request.resume();
      const send = () => {
        reply.writeHead(200, { "content-type": "application/json" });
        reply.end(V2_BODY);
      };
      if (request.url!.includes("user_id=slow")) releaseSlow = send;
      else send();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const transport = new HttpFlagsTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: "rg_server_k", maxPayloadBytes: 4096, logger: defaultLogger, dispatcher: undefined, now: () => 0 });
    const signal = new AbortController().signal;
    // What runs first once the answer is in: its decoding, or an immediate queued at that moment.
    const firstAfterAnswer = async (id: string): Promise<string> => {
      const order: string[] = [];
      await transport.fetchFlags({ user: { id }, etag: undefined }, signal, () => setImmediate(() => order.push("next turn"))).then(() => order.push("decoded"));
      await new Promise((resolve) => setImmediate(resolve));
      return order[0]!;
    };
    try {
      expect(await firstAfterAnswer("quick")).toBe("decoded");
      const slow = transport.fetchFlags({ user: { id: "slow" }, etag: undefined }, signal);
      expect(await firstAfterAnswer("quick")).toBe("next turn");
      releaseSlow();
      await slow;
      expect(await firstAfterAnswer("quick")).toBe("decoded");
    } finally {
      await transport.close();
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    }
  });
});
