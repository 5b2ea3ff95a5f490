import { serializeCacheEntry } from "../../src/cache/cache-entry";
import type { CacheStore } from "../../src/cache/cache-store";
import { loadCachedFlags } from "../../src/cache/load-cached-flags";
import { MemoryCacheStore } from "../../src/cache/memory-cache-store";
import type { Logger } from "../../src/logger/logger";
import type { FlagState } from "../../src/model/flag-state";
import { FlagTable } from "../../src/model/flag-table";

const KEY = "flags-0123456789abcdef0123456789abcdef";
const SAVED_AT = 1_700_000_000_000;
const flags = new Map<string, FlagState>([["theme", { type: "string", enabled: true, value: "dark", reason: { kind: "FALLTHROUGH", inRollout: true } }]]);

function recordingLogger(): Logger & { warnings: string[]; debugs: string[] } {
  const warnings: string[] = [];
  const debugs: string[] = [];
  return { warnings, debugs, info() {}, error() {}, warn: (m) => warnings.push(m), debug: (m) => debugs.push(m) };
}

async function storeWith(text: string): Promise<MemoryCacheStore> {
  const store = new MemoryCacheStore();
  await store.save(KEY, text);
  return store;
}

function load(store: CacheStore, logger: Logger, ageMs = 0) {
  return loadCachedFlags({ store, key: KEY, nowMs: SAVED_AT + ageMs, ttl: 300, maxAge: 86_400, logger });
}

describe("loadCachedFlags", () => {
  it("returns fresh cached flags with their etag and savedAt, silently", async () => {
    const logger = recordingLogger();
    const loaded = await load(await storeWith(serializeCacheEntry({ flags, savedAt: SAVED_AT, etag: '"e"' })), logger, 1000);
    expect(loaded).toEqual({ flags: FlagTable.of(flags), savedAt: SAVED_AT, etag: '"e"', stale: false });
    expect(logger.warnings).toEqual([]);
  });

  it("returns flags past their ttl marked stale", async () => {
    const loaded = await load(await storeWith(serializeCacheEntry({ flags, savedAt: SAVED_AT })), recordingLogger(), 301_000);
    expect(loaded?.stale).toBe(true);
    expect(new Map(loaded?.flags)).toEqual(flags);
  });

  it("discards flags past maxAge, logging at debug level only", async () => {
    const logger = recordingLogger();
    const loaded = await load(await storeWith(serializeCacheEntry({ flags, savedAt: SAVED_AT })), logger, 86_400_001);
    expect(loaded).toBeUndefined();
    expect(logger.warnings).toEqual([]);
    expect(logger.debugs).toEqual([expect.stringMatching(/maxAge/)]);
  });

  it("returns undefined without a warning when nothing is cached", async () => {
    const logger = recordingLogger();
    await expect(load(new MemoryCacheStore(), logger)).resolves.toBeUndefined();
    expect(logger.warnings).toEqual([]);
  });

  const valid = serializeCacheEntry({ flags, savedAt: SAVED_AT });
  it.each<[string, string, RegExp]>([
    ["corrupt", "{not json", /not valid JSON/],
    ["truncated", valid.slice(0, -3), /not valid JSON/],
    ["of another format version", valid.replace('"version":1', '"version":99'), /format version 99/],
    ["in violation of the schema", valid.replace('"enabled":true', '"enabled":"true"'), /flags\.theme\.enabled/],
  ])("warns and returns undefined for an entry that is %s", async (_what, text, reason) => {
    const logger = recordingLogger();
    await expect(load(await storeWith(text), logger)).resolves.toBeUndefined();
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/^Ignoring the flag cache entry: /);
    expect(logger.warnings[0]).toMatch(reason);
  });

  it.each<[string, CacheStore["load"]]>([
    ["rejects", () => Promise.reject(new Error("EACCES"))],
    ["throws synchronously", () => {
      throw new Error("boom");
    }],
  ])("warns and returns undefined when the store %s", async (_how, loadEntry) => {
    const logger = recordingLogger();
    const store: CacheStore = { load: loadEntry, save: () => Promise.resolve() };
    await expect(load(store, logger)).resolves.toBeUndefined();
    expect(logger.warnings).toEqual(["Could not read the flag cache; starting without cached flags."]);
  });
});
