import { Readable } from "node:stream";
import { PayloadError } from "rollgate";
import { readLimitedBody, readLimitedBytes } from "../../src/transport/read-limited-body";

/** Reading a response body whole, with a size limit, as every flags request and error answer does. */
describe("readLimitedBytes", () => {
  const body = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)), { objectMode: false });

  it("gives every byte of a body within the limit", async () => {
    await expect(readLimitedBody(body("{\"fl", "ags\":{}}"), 100, "GET /x")).resolves.toBe('{"flags":{}}');
    await expect(readLimitedBytes(body(), 100, "GET /x")).resolves.toEqual(Buffer.alloc(0));
  });

  it("refuses a body over the limit as a PayloadError and stops reading it", async () => {
    const stream = body("x".repeat(60), "y".repeat(60), "z".repeat(60));
    await expect(readLimitedBytes(stream, 100, "GET /x")).rejects.toBeInstanceOf(PayloadError);
    expect(stream.destroyed).toBe(true);
  });

  it("refuses at once a body whose Content-Length is over the limit", async () => {
    const stream = body("x");
    await expect(readLimitedBytes(stream, 100, "GET /x", "101")).rejects.toThrow(/100-byte limit/);
    expect(stream.destroyed).toBe(true);
  });

  it("fails with the stream's error, or as a premature close when it is destroyed before its end", async () => {
    const failing = new Readable({ read() {} });
    const failed = readLimitedBytes(failing, 100, "GET /x");
    failing.push("partial");
    failing.destroy(new Error("other side closed"));
    await expect(failed).rejects.toThrow("other side closed");
    const closing = new Readable({ read() {} });
    const closed = readLimitedBytes(closing, 100, "GET /x");
    closing.push("partial");
    closing.destroy();
    await expect(closed).rejects.toMatchObject({ code: "ERR_STREAM_PREMATURE_CLOSE" });
  });
});
