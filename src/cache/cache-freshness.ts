/**
 * How usable a cached entry is:
 * - `fresh`: at most `ttl` old; served as is;
 * - `stale`: older than `ttl` but at most `maxAge`; served, with the snapshot marked stale;
 * - `expired`: older than `maxAge`; discarded.
 */
export type CacheFreshness = "fresh" | "stale" | "expired";

/**
 * Classifies an entry saved at `savedAt` (epoch ms), as seen at `nowMs` (epoch ms, from the
 * client's scheduler), given `ttlSeconds` and `maxAgeSeconds`. Boundaries are inclusive: an
 * entry exactly `ttl` old is still fresh, exactly `maxAge` old is still stale. When
 * `maxAge < ttl`, nothing is ever stale: entries go from fresh straight to expired.
 *
 * A `savedAt` in the future means one of the clocks jumped (an NTP correction, a restored VM,
 * another host sharing the store) and we cannot tell which. We therefore count the distance in
 * either direction as age: a small skew stays fresh, but an entry from far in the future can
 * never be served forever, and `maxAge` still bounds what we trust.
 *
 * @example
 * cacheFreshness(0, 301_000, 300, 86_400); // "stale"
 */
export function cacheFreshness(savedAt: number, nowMs: number, ttlSeconds: number, maxAgeSeconds: number): CacheFreshness {
  const ageMs = Math.abs(nowMs - savedAt);
  // NaN fails every comparison below, so compare "not within" to classify it as expired.
  if (!(ageMs <= maxAgeSeconds * 1000)) return "expired";
  return ageMs <= ttlSeconds * 1000 ? "fresh" : "stale";
}
