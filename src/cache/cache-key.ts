/**
 * node:crypto, loaded at the first key rather than when rollgate is imported: no other part of a
 * cold start needs it (neither node:http nor undici's request path loads it), and loading it
 * cost ~2 ms of each import for clients with `cache: false` (bench/cold, main-thread CPU).
 */
const crypto = (): typeof import("node:crypto") => process.getBuiltinModule("node:crypto");

/** Hex characters of the SHA-256 digest kept in a key: 128 bits, ample against collisions. */
const DIGEST_HEX_LENGTH = 32;

/**
 * The key under which the flags of one (server, API key, user) are cached: `flags-` followed by
 * 32 hex characters of a SHA-256 digest. It never contains the API key or the user id, so it
 * is safe as a file name or a Redis key.
 *
 * The three parts are hashed as a JSON array, so no two different triples share an input
 * (`("a", "b:c")` and `("a:b", "c")` differ); trailing slashes of `baseUrl` are ignored, as
 * they do not change the server. `userId` `undefined` (no user) and `""` (anonymous) differ.
 *
 * @example
 * cacheKey("https://api.rollgate.io", "rg_server_123", "user-42"); // "flags-3f9c…" (38 chars)
 */
export function cacheKey(baseUrl: string, apiKey: string, userId: string | undefined): string {
  const input = JSON.stringify([baseUrl.replace(/\/+$/, ""), apiKey, userId ?? null]);
  // The one-shot crypto.hash (Node 20.12): 0.7 µs against 1.8 for createHash().update().digest(),
  // paid by every new user of a fleet reading Redis.
  return `flags-${crypto().hash("sha256", input, "hex").slice(0, DIGEST_HEX_LENGTH)}`;
}
