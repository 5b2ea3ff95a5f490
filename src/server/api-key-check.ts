import { timingSafeEqual } from "node:crypto";

/**
 * Whether a credential equals the configured secret, compared in constant time.
 */
export function secretMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The reference server's check (PROTOCOL.md §1.1): strip one leading `Bearer ` from the
 * `Authorization` header and compare the rest with the key by exact equality, so the bare key
 * works too and `bearer ` (lower case) does not.
 *
 * @example
 * hasValidApiKey("Bearer rg_key", "rg_key"); // true
 * hasValidApiKey("rg_key", "rg_key");        // true
 */
export function hasValidApiKey(authorization: string | undefined, apiKey: string): boolean {
  const header = authorization ?? "";
  const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : header;
  return secretMatches(token, apiKey);
}
