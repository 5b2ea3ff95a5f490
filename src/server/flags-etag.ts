import { createHash } from "node:crypto";

/**
 * The v1 ETag (PROTOCOL.md §1.2): `"` + the first 16 hex characters of SHA-256 over the Go
 * JSON of the `flags` object + `"`. It depends only on the boolean values.
 *
 * @param flagsJson the exact bytes of the `flags` object as sent, from `encodeGoJson`.
 * @example
 * computeFlagsETag("{}"); // '"44136fa355b3678a"'
 */
export function computeFlagsETag(flagsJson: string): string {
  return `"${createHash("sha256").update(flagsJson, "utf8").digest("hex").slice(0, 16)}"`;
}
