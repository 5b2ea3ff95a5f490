import type { RollgateStatus } from "rollgate";

/**
 * What the provider tells OpenFeature about itself (its provider events and, through them, the
 * SDK's provider status):
 *
 * - `fatal`: Rollgate refused the API key: it cannot heal without a new key;
 * - `error`: no flags at all (nothing fetched, nothing cached): every evaluation returns defaults;
 * - `stale`: flags are served, but the server cannot vouch for them now (unreachable, circuit open);
 * - `ready`: flags are current.
 */
export type ProviderHealth = "ready" | "stale" | "error" | "fatal";

/** The provider's health, derived from the client's status. */
export function healthOf(status: RollgateStatus): ProviderHealth {
  if (status.lastError?.code === "AUTH_FAILED") return "fatal";
  if (status.stale && status.source === "defaults") return "error";
  if (status.stale || status.circuit === "open") return "stale";
  return "ready";
}
