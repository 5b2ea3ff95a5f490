import fc from "fast-check";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGzip } from "node:zlib";
import { firstValueFrom, ignoreElements, Observable } from "rxjs";
import { Agent } from "undici";
import { NetworkError, PayloadError } from "../../src/errors";
import { openSseConnection } from "../../src/sources/sse-connection";
import { SseEventBound } from "../../src/sources/sse-event-bound";
import type { SseSignal } from "../../src/sources/sse-signal";

/**
 * Issue 13 item 1: a stream line without a newline was buffered whole (700 MiB on the wire, 717
 * MiB of heap), and with `Content-Encoding: gzip` 3 MiB on the wire killed the process. One event
 * (or line) is now bounded in bytes; past the bound the connection fails with a PayloadError,
 * which `reconnectingStream` backs off from like any dropped stream.
 */

const MiB = 1024 * 1024;

/** A raw event-stream server on 127.0.0.1: `write` feeds each response, as the test decides. */
async function startRawStream(write: (reply: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, reply) => {
    request.resume();
    write(reply);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/sdk/stream?token=k`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Writes `total` bytes of `a` (no newline) in 64 KiB chunks, honouring backpressure, then ends (or not). */
function writeLongLine(target: NodeJS.WritableStream, total: number, end: boolean): void {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let written = 0;
  const pump = (): void => {
    while (written < total) {
      written += chunk.length;
      if (!target.write(chunk)) {
        target.once("drain", pump);
        return;
      }
    }
    if (end) target.end();
  };
  target.write("event: flags\ndata: ");
  pump();
}

describe("SSE event bound", () => {
  let agent: Agent;
  let server: { url: string; close(): Promise<void> } | undefined;
  beforeEach(() => {
    agent = new Agent();
  });
  afterEach(async () => {
    await server?.close();
    await agent.destroy();
  });

  /** The error ending one connection, and the heap's peak growth (sampled on every chunk) until then. */
  async function failureOf(maxEventBytes?: number): Promise<{ error: unknown; peakGrowth: number }> {
    (globalThis as { gc?: () => void }).gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const signals$: Observable<SseSignal> = openSseConnection({
      url: server!.url,
      headers: {},
      dispatcher: agent,
      connectTimeoutMs: 10_000,
      ...(maxEventBytes === undefined ? {} : { maxEventBytes }),
    });
    let error: unknown;
    try {
      await firstValueFrom(
        new Observable<SseSignal>((subscriber) =>
          signals$.subscribe({
            next: () => (peak = Math.max(peak, process.memoryUsage().heapUsed)),
            error: (e: unknown) => subscriber.error(e),
          }),
        ).pipe(ignoreElements()),
        { defaultValue: undefined },
      );
    } catch (e) {
      error = e;
    }
    return { error, peakGrowth: peak - baseline };
  }

  it("fails a connection whose line passes the bound (24 MiB, no newline, connection held open) with a PayloadError", async () => {
    server = await startRawStream((reply) => {
      reply.writeHead(200, { "content-type": "text/event-stream" });
      writeLongLine(reply, 24 * MiB, false);
    });
    const { error, peakGrowth } = await failureOf();
    expect(error).toBeInstanceOf(PayloadError);
    // The default bound is maxPayloadBytes' default: 16 MiB.
    expect((error as Error).message).toMatch(/16777216-byte limit/);
    expect(peakGrowth).toBeLessThan(80 * MiB);
  });

  it("bounds the decoded size of a gzip bomb (256 MiB decoded, a few hundred KiB on the wire)", async () => {
    server = await startRawStream((reply) => {
      reply.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "gzip" });
      const gzip = createGzip({ level: 1 });
      gzip.pipe(reply);
      writeLongLine(gzip, 256 * MiB, true);
    });
    const { error, peakGrowth } = await failureOf(MiB);
    expect(error).toBeInstanceOf(PayloadError);
    expect(peakGrowth).toBeLessThan(48 * MiB);
  }, 30_000);

  it("lets events through that stay under the bound, however many", async () => {
    server = await startRawStream((reply) => {
      reply.writeHead(200, { "content-type": "text/event-stream" });
      const data = "x".repeat(1000);
      // 3,000 events of 1 KB: 3 MB in all, far past a 64 KiB bound, but each one under it.
      for (let i = 0; i < 3000; i += 1) reply.write(i % 2 === 0 ? `event: flag-changed\ndata: ${data}\n\n` : `:${data}\r\ndata: ${data}\r\n\r\n`);
      reply.end();
    });
    const { error } = await failureOf(64 * 1024);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/stream ended/);
  });
});

describe("SseEventBound", () => {
  const feed = (bound: SseEventBound, text: string): boolean => bound.accepts(Buffer.from(text));

  it("counts one event across lines and chunks, and resets at the blank line", () => {
    const bound = new SseEventBound(10);
    expect(feed(bound, "data: 12")).toBe(true);
    expect(feed(bound, "\ndata: 3")).toBe(false);
    const next = new SseEventBound(10);
    expect(feed(next, "data:1234\n\ndata:1234\r\rdata:1234\r\n\r\n")).toBe(true);
  });

  /** The rule, byte by byte: what the bound must agree with, however the stream is chunked. */
  function referenceAccepts(text: string, max: number): boolean {
    const lines = text.split(/\r\n|\r|\n/);
    let event = 0;
    // The last piece is a line still open: it counts, like the others.
    for (const line of lines) {
      if (line === "") event = 0;
      else if (!line.startsWith(":")) event += line.length;
      if (line.length > max || event > max) return false;
    }
    return true;
  }

  it("agrees with the byte-by-byte rule for any text cut into any chunks", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "b", ":", "\r", "\n"), maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 12 }),
        (text, cuts, max) => {
          const points = [...new Set(cuts.filter((cut) => cut < text.length))].sort((a, b) => a - b);
          const bound = new SseEventBound(max);
          let accepted = true;
          let from = 0;
          for (const point of [...points, text.length]) {
            if (accepted) accepted = bound.accepts(Buffer.from(text.slice(from, point)));
            from = point;
          }
          expect(accepted).toBe(referenceAccepts(text, max));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("does not count comment lines (heartbeats) towards the event, but bounds their length", () => {
    const bound = new SseEventBound(10);
    for (let i = 0; i < 100; i += 1) expect(feed(bound, ":heartbeat\n")).toBe(true);
    expect(feed(bound, ":a long comment line\n")).toBe(false);
  });
});
