import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PayloadError, RollgateClient, type RollgateError } from "rollgate";
import { RecordingLogger } from "../../support/test-client";
import { eventually } from "../../support/virtual-clock";

/**
 * Issue 13 item 1, end to end: a stream event past `maxPayloadBytes` is a dropped stream (an
 * `error`, backoff, polling meanwhile), never a crash, and the process keeps its flags.
 */
describe("a client whose stream sends an endless line", () => {
  it("drops the stream with a PayloadError and backs off, serving its flags", async () => {
    const FLAGS = JSON.stringify({ flags: { "on-flag": { key: "on-flag", type: "boolean", enabled: true, value: true } } });
    let streams = 0;
    const server: Server = createServer((request, reply) => {
      request.resume();
      if (request.url?.startsWith("/api/v1/sdk/stream") === true) {
        streams += 1;
        reply.writeHead(200, { "content-type": "text/event-stream" });
        reply.write("event: init\ndata: ");
        reply.write(Buffer.alloc(256 * 1024, "a")); // no newline, held open
        return;
      }
      reply.writeHead(200, { "content-type": "application/json" });
      reply.end(FLAGS);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const errors: RollgateError[] = [];
    const client = new RollgateClient({ apiKey: "rg_server_k", baseUrl, cache: false, enableStreaming: true, maxPayloadBytes: 64 * 1024, logger: new RecordingLogger() });
    client.on("stream-status", (event) => {
      if (event.status === "backing-off" && event.error !== undefined) errors.push(event.error);
    });
    try {
      await client.init();
      await eventually(() => client.getStatus().stream === "backing-off", 5_000, "the stream to drop");
      expect(streams).toBe(1);
      expect(errors[0]).toBeInstanceOf(PayloadError);
      expect(errors[0]?.message).toMatch(/65536-byte limit/);
      expect(client.isEnabled("on-flag", false)).toBe(true);
    } finally {
      await client.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});
