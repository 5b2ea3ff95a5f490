import type { IncomingMessage } from "node:http";
import type { EvaluationUser } from "../model/flag-model";
import { GoDecodeError, goField, goMap, goObject, goString } from "./go-struct-decoding";
import type { IdentifySessions } from "./identify-sessions";

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL_SAFE_BASE64 = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

/**
 * Decodes `{id, email?, attributes?}` as the reference server's user struct. Returns null
 * when the JSON does not decode into it (wrong types make Go's Unmarshal fail).
 */
export function decodeUserObject(value: unknown): EvaluationUser | null {
  try {
    const object = goObject(value, "user");
    const id = goString(goField(object, "id"), "id");
    const email = goString(goField(object, "email"), "email");
    const attributes = goMap(goField(object, "attributes"), "attributes");
    return { id, ...(email ? { email } : {}), ...(attributes ? { attributes } : {}) };
  } catch (error) {
    if (error instanceof GoDecodeError) return null;
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Source 1 of §1.7: padded standard or URL-safe base64 of the user JSON, with a non-empty id. */
export function userFromContextHeader(header: string): EvaluationUser | null {
  if (!STANDARD_BASE64.test(header) && !URL_SAFE_BASE64.test(header)) return null;
  const json = parseJson(Buffer.from(header, "base64").toString("utf8"));
  if (json === undefined) return null;
  const user = decodeUserObject(json);
  return user && user.id !== "" ? user : null;
}

/** Source 2 of §1.7: `X-User-ID`, plus `X-User-Email` and raw-JSON `X-User-Attributes`. */
function userFromIdHeaders(id: string, email: string | undefined, attributesHeader: string | undefined): EvaluationUser {
  const parsed = attributesHeader ? parseJson(attributesHeader) : undefined;
  // An attributes header that is not a JSON object is ignored rather than refusing the request.
  const attributes = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as EvaluationUser["attributes"]) : undefined;
  return { id, ...(email ? { email } : {}), ...(attributes ? { attributes } : {}) };
}

function firstHeader(request: IncomingMessage, name: string): string | undefined {
  return request.headersDistinct[name]?.[0];
}

/**
 * The user a flags request is evaluated for (PROTOCOL.md §1.7): the first present source of
 * `X-User-Context`, `X-User-ID` (+ `X-User-Email`, `X-User-Attributes`) and `user_id` plus its
 * `/identify` session. Sources are never merged. Without any, the anonymous user `""`.
 *
 * @param headerContext false for the stream, which honours only `user_id` (§2.1).
 */
export function resolveRequestUser(
  request: IncomingMessage,
  query: URLSearchParams,
  sessions: IdentifySessions,
  headerContext = true,
): EvaluationUser {
  if (headerContext) {
    const context = firstHeader(request, "x-user-context");
    if (context) {
      const user = userFromContextHeader(context);
      if (user) return user;
    }
    const id = firstHeader(request, "x-user-id");
    if (id) return userFromIdHeaders(id, firstHeader(request, "x-user-email"), firstHeader(request, "x-user-attributes"));
  }
  return sessions.userFor(query.get("user_id") ?? "");
}
