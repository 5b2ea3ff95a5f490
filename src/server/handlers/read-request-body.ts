import { encodeGoStruct } from "../go-json";
import type { Exchange } from "../exchange";
import { BodyTooLargeError, readBody } from "../read-body";

/**
 * Reads the request body within `maxBytes`. When it is too large, answers 413 with a JSON
 * error and returns undefined; a client that vanished mid-body also yields undefined.
 */
export async function readRequestBody(exchange: Exchange, maxBytes: number): Promise<string | undefined> {
  try {
    return await readBody(exchange.request, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError && exchange.canRespond) {
      exchange.sendJson(
        413,
        encodeGoStruct({ error: "PayloadTooLargeError", message: `The request body exceeds the server's limit of ${error.limit} bytes.` }),
      );
    }
    return undefined;
  }
}
