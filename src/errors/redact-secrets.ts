// Anything that looks like a credential: Rollgate key formats (§1.1: `rg_…` in test scripts,
// `sb_server_…`/`sb_client_…` in the docs), a Bearer credential, and the stream's `token`
// query parameter (§4.3), which an error message quoting the URL would otherwise leak. Keys
// are opaque strings (§1.1), so this is a safety net for server-provided text, not a
// guarantee: rollgate itself never puts request headers or URLs with the key into errors.
const SECRET = /rg_(?:server|client|live|test)_[A-Za-z0-9_]+|sb_(?:server|client)_\S+|(\b[Bb]earer\s+)\S+|([?&]token=)[^&#\s]+/g;

/** What a redacted credential is replaced with. */
export const REDACTED = "[redacted]";

/**
 * Replaces every credential-looking token in `text` with `[redacted]`: Rollgate keys
 * (`rg_server_…`, `rg_client_…`, `rg_live_…`, `rg_test_…`, `sb_server_…`, `sb_client_…`),
 * `Bearer <credential>` and `token=<credential>` query parameters. Used on every piece of
 * foreign text (response bodies, transport error messages) before it enters an error.
 *
 * @example
 * redactSecrets("Invalid API key rg_server_abc123"); // "Invalid API key [redacted]"
 */
export function redactSecrets(text: string): string {
  return text.replace(SECRET, (_match, bearer: string | undefined, token: string | undefined) => `${bearer ?? token ?? ""}${REDACTED}`);
}
