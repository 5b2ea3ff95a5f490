import { PayloadError } from "../errors";

/** A response body as undici gives it: an async iterable of chunks that can be destroyed. */
interface ReadableBody extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
}

/**
 * Reads a whole body as bytes, refusing (as a `PayloadError`) one larger than `limit` bytes
 * without buffering past the limit.
 */
export async function readLimitedBytes(body: ReadableBody, limit: number, source: string, contentLength?: string | string[]): Promise<Buffer> {
  const declared = typeof contentLength === "string" ? Number(contentLength) : Number.NaN;
  const tooLarge = () => new PayloadError(source, [{ path: "", message: `response body larger than the ${limit}-byte limit (maxPayloadBytes)` }]);
  if (declared > limit) {
    body.destroy();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** {@link readLimitedBytes}, decoded as UTF-8. */
export async function readLimitedBody(body: ReadableBody, limit: number, source: string, contentLength?: string | string[]): Promise<string> {
  return (await readLimitedBytes(body, limit, source, contentLength)).toString("utf8");
}
