// The persistent cache (DESIGN.md, "Persistent cache"): internal barrel for the client core.
export type { CacheStore, SharedStoreEntry } from "./cache-store";
export { MemoryCacheStore } from "./memory-cache-store";
export { FileCacheStore, type FileCacheStoreOptions } from "./file-cache-store";
export { defaultCacheDir, nodeCacheDirEnvironment, type CacheDirEnvironment } from "./default-cache-dir";
export { cacheKey } from "./cache-key";
export { CACHE_FORMAT_VERSION, parseCacheEntry, serializeCacheEntry, type CachedFlags, type CacheEntryParseResult } from "./cache-entry";
export { cacheFreshness, type CacheFreshness } from "./cache-freshness";
export {
  CACHE_DEFAULTS,
  cacheOptionSchema,
  cacheOptionsSchema,
  resolveCacheOptions,
  type CacheOptions,
  type ResolvedCacheOptions,
} from "./cache-options";
export { SnapshotPersister, type SnapshotPersisterOptions } from "./snapshot-persister";
export { cachedFlagsFrom, loadCachedFlags, type LoadCachedFlagsOptions, type LoadedCachedFlags } from "./load-cached-flags";
