import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { asyncScheduler } from "rxjs";
import { Agent } from "undici";
import { flagStream } from "../../src/client/flag-stream";
import { CircuitBreaker } from "../../src/resilience/circuit-breaker";
import type { StreamStatusChange } from "../../src/sources/stream-status";
import { RecordingLogger } from "../support/test-client";
import { eventually } from "../support/virtual-clock";

/**
 * Events the local server never sends (rules-full, flags, flag-update, unknown names), from a
 * hand-written SSE endpoint on 127.0.0.1: which of them trigger a refetch, and what is logged.
 */
describe("flagStream", () => {
  let server: Server;
  let response: ServerResponse | undefined;
  let url: string;
  const agent = new Agent();

  beforeEach(async () => {
    server = createServer((_request, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(": hello\n\n");
      response = res;
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/sdk/stream?token=k`;
  });
  afterEach(async () => {
    response?.end();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => agent.destroy());

  it("refetches on init, flags, flag-changed and flag-update, ignores unknown events, and logs rules-full once", async () => {
    const logger = new RecordingLogger();
    const statuses: StreamStatusChange["status"][] = [];
    let refetches = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 5, resetTimeout: 30 }, asyncScheduler);
    const subscription = flagStream({
      url,
      headers: { authorization: "Bearer k" },
      dispatcher: agent,
      scheduler: asyncScheduler,
      breaker,
      connectTimeout: 5,
      readTimeout: 300,
      maxEventBytes: 5 * 1024 * 1024,
      logger,
      refetch: async () => {
        refetches++;
      },
      onStatus: (change) => statuses.push(change.status),
    }).subscribe();
    await eventually(() => statuses.includes("open") && refetches === 1, 5_000, "the connection's refetch");
    const send = async (event: string, data: string) => {
      const before = refetches;
      response!.write(`event: ${event}\ndata: ${data}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return refetches - before;
    };
    expect(await send("init", '{"flags":{"a":true}}')).toBe(1);
    expect(await send("flags", '{"flags":{"a":false}}')).toBe(1);
    expect(await send("flag-changed", '{"key":"a","enabled":true}')).toBe(1);
    expect(await send("flag-update", '{"key":"a","enabled":false}')).toBe(1);
    expect(await send("something-new", "{}")).toBe(0);
    expect(await send("rules-full", '{"version":"1","flags":{}}')).toBe(0);
    expect(await send("rules-full", '{"version":"2","flags":{}}')).toBe(0);
    expect(logger.messages.filter((m) => m.level === "warn" && m.message.includes("rules-full"))).toHaveLength(1);
    subscription.unsubscribe();
    breaker.dispose();
  });
});
