import type { JsonValue } from "../../model/flag-model";
import type { Exchange } from "../exchange";
import { goField } from "../go-struct-decoding";
import { decodeUserObject } from "../request-user";
import type { ServerContext } from "../server-context";
import { readRequestBody } from "./read-request-body";
import { requireApiKey } from "./require-api-key";

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * `POST /api/v1/sdk/identify` (PROTOCOL.md §1.4): stores the user's session and answers
 * `{"success":true}`, even when the body cannot be parsed or has no id (then nothing is stored).
 */
export async function handleIdentify(exchange: Exchange, context: ServerContext): Promise<void> {
  if (!requireApiKey(exchange, context.apiKey)) return;
  const text = await readRequestBody(exchange, context.maxBodyBytes);
  if (text === undefined) return;
  const body = parseJson(text);
  let user = null;
  if (body !== undefined && (body === null || (typeof body === "object" && !Array.isArray(body)))) {
    user = decodeUserObject(body === null ? null : goField(body, "user"));
  }
  if (user && user.id !== "") context.sessions.store(user);
  else user = null;
  context.received.recordIdentify({ user, body }, text.length);
  exchange.sendJson(200, '{"success":true}');
}
