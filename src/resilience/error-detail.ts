import { redactSecrets } from "../errors/redact-secrets";

/** The longest detail, in characters, that foreign text may add to an error message. */
export const MAX_ERROR_DETAIL_LENGTH = 200;

// Only this much foreign text is ever looked at: enough for any useful message, and it keeps
// a megabyte-sized error page from costing a megabyte of regex work.
const SCANNED_LENGTH = 4 * MAX_ERROR_DETAIL_LENGTH;
// Error bodies larger than this are not worth parsing as JSON.
const MAX_PARSED_BODY_LENGTH = 16 * 1024;

const WHITESPACE_AND_CONTROLS = /[\s\p{Cc}]+/gu;

/**
 * Makes foreign text (a response body, a transport error message) safe to put in an error
 * message: control characters and runs of whitespace become one space, credentials are
 * redacted (see `redactSecrets`), and the result is cut to {@link MAX_ERROR_DETAIL_LENGTH}
 * characters, ending in `…` when cut.
 *
 * @returns The cleaned text, or `undefined` when nothing printable is left.
 *
 * @example
 * errorDetail("  Invalid\nAPI key rg_live_abc "); // "Invalid API key [redacted]"
 */
export function errorDetail(text: string): string | undefined {
  // Redact before cutting, so a cut can never leave a readable piece of a credential behind.
  const cleaned = redactSecrets(text.slice(0, SCANNED_LENGTH)).replace(WHITESPACE_AND_CONTROLS, " ").trim();
  if (cleaned === "") return undefined;
  if (cleaned.length <= MAX_ERROR_DETAIL_LENGTH) return cleaned;
  let end = MAX_ERROR_DETAIL_LENGTH - 1;
  // Do not split a surrogate pair.
  const last = cleaned.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${cleaned.slice(0, end)}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function joinCodeAndMessage(code: string | undefined, message: string | undefined): string | undefined {
  if (code !== undefined && message !== undefined) return `${code}: ${message}`;
  return code ?? message;
}

// The two shapes of PROTOCOL.md §1.8: sdk-core's structured `{"error":{"code","message",…}}`
// and the reference server's flat `{"error":"AuthenticationError","message":"…"}`.
function detailFromJson(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const error = parsed["error"];
  if (isRecord(error)) {
    const message = stringField(error, "message");
    const details = stringField(error, "details");
    const fullMessage = message !== undefined && details !== undefined ? `${message} (${details})` : (message ?? details);
    return joinCodeAndMessage(stringField(error, "code"), fullMessage);
  }
  if (typeof error === "string" && error !== "") return joinCodeAndMessage(error, stringField(parsed, "message"));
  return stringField(parsed, "message");
}

/**
 * The detail an HTTP error body adds to an error: for the JSON shapes of PROTOCOL.md §1.8,
 * `"<code>: <message>"`; for anything else (plain text, an HTML error page, unknown JSON),
 * the text itself. Always passed through {@link errorDetail}: redacted, one line, at most
 * 200 characters.
 *
 * @param body The response body as text (possibly empty).
 * @returns The detail, or `undefined` for an empty body.
 *
 * @example
 * errorBodyDetail('{"error":"AuthenticationError","message":"Invalid API key"}\n');
 * // "AuthenticationError: Invalid API key"
 */
export function errorBodyDetail(body: string): string | undefined {
  const text = body.trim();
  if (text === "") return undefined;
  const fromJson = text.startsWith("{") && text.length <= MAX_PARSED_BODY_LENGTH ? detailFromJson(text) : undefined;
  return errorDetail(fromJson ?? text);
}
