import type { Logger } from "../logger/logger";
import { errorDetail } from "../resilience/error-detail";
import type { CacheStore } from "./cache-store";
import { parseCacheEntry, type CachedFlags } from "./cache-entry";
import { cacheFreshness } from "./cache-freshness";

/** What {@link loadCachedFlags} reads, and how old an entry may be. */
export interface LoadCachedFlagsOptions {
  readonly store: CacheStore;
  /** The entry's key, from cacheKey(). */
  readonly key: string;
  /** The current time in epoch milliseconds, from the client's scheduler. */
  readonly nowMs: number;
  /** Seconds an entry stays fresh. */
  readonly ttl: number;
  /** Seconds after which an entry is discarded. */
  readonly maxAge: number;
  readonly logger: Logger;
}

/** Cached flags that may be served, and whether they are past their `ttl`. */
export interface LoadedCachedFlags extends CachedFlags {
  /** True when older than `ttl`: serve, but mark the snapshot stale. */
  readonly stale: boolean;
}

/**
 * Loads the cached flags for `key` as init does before its first fetch (PROTOCOL.md §4.4).
 * Never rejects: an unreadable store or a corrupt, truncated, other-version or invalid entry
 * logs a warning and gives `undefined`, as do a missing entry and an expired one (logged at
 * debug level, since both are normal).
 *
 * @example
 * const cached = await loadCachedFlags({ store, key, nowMs: scheduler.now(), ttl, maxAge, logger });
 * if (cached) applySnapshot({ flags: cached.flags, source: "cache", stale: cached.stale });
 */
export async function loadCachedFlags(options: LoadCachedFlagsOptions): Promise<LoadedCachedFlags | undefined> {
  const { store, key, logger } = options;
  let text: string | undefined;
  try {
    // Inside the try even when load() throws before returning a promise (a custom store).
    text = await store.load(key);
  } catch (error) {
    logger.warn("Could not read the flag cache; starting without cached flags.", { reason: errorDetail(describe(error)) ?? "unknown failure" });
    return undefined;
  }
  return cachedFlagsFrom(text, options);
}

/**
 * What {@link loadCachedFlags} makes of the text the store returned (for a store read another way,
 * e.g. with `loadWithGeneration`). Never throws.
 */
export function cachedFlagsFrom(text: string | undefined, options: LoadCachedFlagsOptions): LoadedCachedFlags | undefined {
  const { store, key, nowMs, ttl, maxAge, logger } = options;
  if (text === undefined) {
    logger.debug("No cached flags for this client yet.");
    return undefined;
  }

  const parsed = parseTotally(text);
  if (!parsed.ok) {
    // The reason may quote the entry (JSON.parse does): foreign text, so redacted and bounded.
    logger.warn(`Ignoring the flag cache entry: ${errorDetail(parsed.reason) ?? "unreadable"}. It is replaced after the next successful fetch.`);
    try {
      store.discard?.(key, parsed.reason);
    } catch {
      // Counting is the store's business; its failure changes nothing here.
    }
    return undefined;
  }
  const { entry } = parsed;
  const freshness = cacheFreshness(entry.savedAt, nowMs, ttl, maxAge);
  if (freshness === "expired") {
    logger.debug("Discarding cached flags older than cache.maxAge.", { savedAt: entry.savedAt, maxAge });
    return undefined;
  }
  return { ...entry, stale: freshness === "stale" };
}

/**
 * parseCacheEntry never throws by design; this guard makes "any bytes in, flags or one warning
 * out" hold even if a future schema forgets a bound (a RangeError from deep recursion was once
 * thrown out of init(): issue 13 item 5).
 */
function parseTotally(text: string): ReturnType<typeof parseCacheEntry> {
  try {
    return parseCacheEntry(text);
  } catch (error) {
    return { ok: false, reason: `unreadable (${describe(error)})` };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return "unknown failure";
  }
}
