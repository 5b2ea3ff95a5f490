/**
 * What a {@link RedisCacheStore} did since it was made: for a health page or metrics.
 *
 * @example
 * const { hits, misses, ignored, available } = store.stats();
 */
export interface RedisCacheStats {
  /** Loads that found a usable entry. */
  readonly hits: number;
  /** Loads that found no entry. */
  readonly misses: number;
  /** Entries written. */
  readonly writes: number;
  /** Calls not made because Redis was down (no call per request during an outage). */
  readonly skipped: number;
  /** Calls that failed or outlasted `timeoutMs` (each turned Redis down). */
  readonly failed: number;
  /** Entries ignored: oversized, not in rollgate's format, or found corrupt or invalid by a client. */
  readonly ignored: number;
  /** False while Redis is considered down. */
  readonly available: boolean;
}
