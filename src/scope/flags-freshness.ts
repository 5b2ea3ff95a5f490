/**
 * How usable a user's flags are, read at a request:
 * - `fresh`: serve them, nothing to do;
 * - `due`: serve them, and refetch in the background (stale-while-revalidate);
 * - `expired`: do not serve them as current: wait for the server (bounded by `timeout`), as for a
 *   user seen for the first time. Also the verdict for a user with no server flags at all.
 */
export type Freshness = "fresh" | "due" | "expired";

/** When a user's flags were asked of the server, and whether a change was announced since. */
export interface FlagsAge {
  /**
   * When the request that brought them was started (ms on the client's monotonic clock, the
   * scheduler's `now()`): the start, not the answer, so that a change announced while it was in
   * flight is not mistaken for one it already carries.
   */
  readonly askedAt: number;
  /**
   * A change was announced (a stream signal, `refresh()`) after they were asked for. An entry
   * from a shared store decides this from its own timestamps, in the same terms.
   */
  readonly changedSince: boolean;
}

/** The two bounds of freshness, in ms. */
export interface FreshnessBounds {
  /** Younger than this and unchanged: fresh. `Infinity` when polling is off (`refreshInterval: 0`). */
  readonly maxAgeMs: number;
  /** At least this old: expired, whatever else (`users.maxStale`). */
  readonly maxStaleMs: number;
}

/**
 * The one freshness rule of per-request users (DESIGN.md, "Many users"), for flags kept in this
 * process and, in the same terms, for an entry read from a shared store. Pure: the caller brings
 * the clock (`now`, monotonic) and the age.
 *
 * @example
 * judgeFreshness({ askedAt: 0, changedSince: false }, 31_000, { maxAgeMs: 30_000, maxStaleMs: 300_000 }); // "due"
 */
export function judgeFreshness(age: FlagsAge | undefined, now: number, bounds: FreshnessBounds): Freshness {
  if (age === undefined) return "expired";
  const elapsed = now - age.askedAt;
  if (!age.changedSince && elapsed < bounds.maxAgeMs) return "fresh";
  return elapsed < bounds.maxStaleMs ? "due" : "expired";
}
