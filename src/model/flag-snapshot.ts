import type { RollgateUser } from "./rollgate-user";
import { NO_FLAGS, type FlagTable } from "./flag-table";

/** Where the flags being served came from. */
export type FlagSource = "server" | "cache" | "defaults";

/**
 * Everything the client knows about flags at one moment. Immutable: the client replaces the
 * whole snapshot, which is the only mutation of flag data.
 */
export interface FlagSnapshot {
  readonly flags: FlagTable;
  readonly source: FlagSource;
  /** When these flags were fetched (ms, scheduler clock); undefined for defaults. */
  readonly fetchedAt: number | undefined;
  /** The ETag the flags came with, for the next conditional request. */
  readonly etag: string | undefined;
  /** The user the flags were evaluated for. */
  readonly user: RollgateUser | undefined;
  /** True when the flags may be out of date (server unreachable, old cache, user switch pending). */
  readonly stale: boolean;
}

/** The snapshot before anything is known: every getter answers its default. */
export function emptySnapshot(user: RollgateUser | undefined): FlagSnapshot {
  return Object.freeze({ flags: NO_FLAGS, source: "defaults", fetchedAt: undefined, etag: undefined, user, stale: false });
}
