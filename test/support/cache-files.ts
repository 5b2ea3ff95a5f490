import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseCacheEntry, type CacheEntryParseResult } from "../../src/cache/cache-entry";

/** The names of the cache entry files (`flags-<hash>.json`) in `dir`, sorted; temp files excluded. */
export async function cacheFileNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith(".json") && !name.startsWith(".")).sort();
}

/** The path of the one cache entry file in `dir`; throws when there are none or several. */
export async function onlyCacheFile(dir: string): Promise<string> {
  const names = await cacheFileNames(dir);
  if (names.length !== 1) throw new Error(`expected one cache file in ${dir}, found ${JSON.stringify(names)}`);
  return join(dir, names[0]!);
}

/** Reads and validates a cache file as the client would. */
export async function readCacheFile(path: string): Promise<CacheEntryParseResult> {
  return parseCacheEntry(await readFile(path, "utf8"));
}
