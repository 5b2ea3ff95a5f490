import type { IncomingMessage } from "node:http";

/** The request body was larger than the server's `maxBodyBytes`. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";

  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes.`);
  }
}

/**
 * Beyond this much discarded input the connection is cut instead of drained. Draining a
 * moderately oversized body lets the client read the 413 instead of a reset connection.
 */
const MAX_DRAIN_FACTOR = 16;

/**
 * Reads a request body as UTF-8 text, up to `maxBytes`. An oversized body is drained and
 * rejected with `BodyTooLargeError` once fully received (or the socket is destroyed when it
 * goes on far beyond the limit).
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = Number(request.headers["content-length"] ?? 0) > maxBytes;
    request.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (received > maxBytes * MAX_DRAIN_FACTOR) request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (tooLarge) reject(new BodyTooLargeError(maxBytes));
      else resolve(Buffer.concat(chunks).toString("utf8"));
    });
    request.on("error", reject);
    request.on("close", () => {
      if (!request.complete) reject(new Error("The client closed the connection before sending the whole body."));
    });
  });
}
