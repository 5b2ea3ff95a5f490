import { PayloadError } from "../errors";

/** A response body as undici gives it: a Node Readable of byte chunks that can be destroyed. */
interface ReadableBody {
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  destroy(error?: Error): unknown;
}

/**
 * Reads a whole body as bytes, refusing (as a `PayloadError`) one larger than `limit` bytes
 * without buffering past the limit. Reads with `data` events, not `for await`: an async iterator
 * (its end-of-stream watcher and a promise per chunk) cost more than the rest of reading a
 * flags body, on every request.
 */
export function readLimitedBytes(body: ReadableBody, limit: number, source: string, contentLength?: string | string[]): Promise<Buffer> {
  const declared = typeof contentLength === "string" ? Number(contentLength) : Number.NaN;
  const tooLarge = () => new PayloadError(source, [{ path: "", message: `response body larger than the ${limit}-byte limit (maxPayloadBytes)` }]);
  if (declared > limit) {
    body.destroy();
    return Promise.reject(tooLarge());
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let done = false;
    body.on("data", (chunk) => {
      if (done) return;
      size += chunk.byteLength;
      if (size > limit) {
        done = true;
        body.destroy();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    body.on("end", () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
    body.on("error", (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
    // Destroyed without an error (and without its end): what `for await` reports as a premature close.
    body.on("close", () => {
      if (done) return;
      done = true;
      reject(Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" }));
    });
  });
}

/** {@link readLimitedBytes}, decoded as UTF-8. */
export async function readLimitedBody(body: ReadableBody, limit: number, source: string, contentLength?: string | string[]): Promise<string> {
  return (await readLimitedBytes(body, limit, source, contentLength)).toString("utf8");
}
