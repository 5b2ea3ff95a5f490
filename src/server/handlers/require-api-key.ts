import { hasValidApiKey } from "../api-key-check";
import type { Exchange } from "../exchange";

/** The reference server's 401 body, written with Go's `http.Error` (PROTOCOL.md §1.8). */
export const UNAUTHORIZED_BODY = '{"error":"AuthenticationError","message":"Invalid API key"}';

/** Sends the reference server's 401 (plain-text content type, JSON-looking body, trailing newline). */
export function sendUnauthorized(exchange: Exchange): void {
  exchange.sendGoError(401, UNAUTHORIZED_BODY);
}

/**
 * Checks `Authorization` against the API key; on failure sends the 401 and returns false.
 */
export function requireApiKey(exchange: Exchange, apiKey: string): boolean {
  if (hasValidApiKey(exchange.header("authorization"), apiKey)) return true;
  sendUnauthorized(exchange);
  return false;
}
