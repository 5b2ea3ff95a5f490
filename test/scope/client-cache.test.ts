import type { CacheStore, Logger, RollgateUser, SharedStoreEntry } from "rollgate";
import { ClientCache } from "../../src/scope/client-cache";
import { cacheKey } from "../../src/cache/cache-key";
import { userKey } from "../../src/scope/user-key";
import type { FlagSnapshot } from "../../src/model/flag-snapshot";
import type { FlagState } from "../../src/model/flag-state";
import { FlagTable } from "../../src/model/flag-table";
import { RecordingLogger } from "../support/test-client";
import { settle, VirtualClock } from "../support/virtual-clock";

/**
 * The client's view of the persistent cache (src/scope/client-cache.ts) as the client and the
 * users' scopes use it, against a store that records what it is asked: which entry a user's flags
 * go to, what an entry says, which entries go past `maxEntries`, and what a failing store turns
 * into (issue 25: each test fails on a mutant of client-cache.ts that survived the rest of the
 * suite).
 */

const BASE_URL = "http://127.0.0.1:1";
const API_KEY = "rg_server_test";
const NOW = 1_700_000_000_000;

const ANA: RollgateUser = { id: "ana", attributes: { plan: "pro" } };
const BEN: RollgateUser = { id: "ben" };
const CAL: RollgateUser = { id: "cal" };

const ON: FlagState = { type: "boolean", enabled: true, value: true, reason: { kind: "FALLTHROUGH" } };

/** A logger that keeps what a user's own logger is given: level, message and context. */
class ContextLogger implements Logger {
  readonly lines: { level: string; message: string; context: Record<string, unknown> | undefined }[] = [];
  debug(message: string, context?: Record<string, unknown>): void {
    this.lines.push({ level: "debug", message, context });
  }
  info(message: string, context?: Record<string, unknown>): void {
    this.lines.push({ level: "info", message, context });
  }
  warn(message: string, context?: Record<string, unknown>): void {
    this.lines.push({ level: "warn", message, context });
  }
  error(message: string, context?: Record<string, unknown>): void {
    this.lines.push({ level: "error", message, context });
  }
}

/** The key the client's entries for `user` live under. */
const keyOf = (user: RollgateUser | undefined) => cacheKey(BASE_URL, API_KEY, user === undefined ? undefined : userKey(user));

/** A store in memory that records each call; the optional parts are added per test. */
class RecordingStore implements CacheStore {
  readonly entries = new Map<string, string>();
  readonly saves: string[] = [];
  readonly deleted: string[] = [];
  shared?: boolean;
  delete?: (key: string) => Promise<void> = (key) => {
    this.deleted.push(key);
    this.entries.delete(key);
    return Promise.resolve();
  };
  close?: () => Promise<void>;
  claim?: (key: string, ms: number) => Promise<boolean>;
  loadWithGeneration?: (key: string) => Promise<SharedStoreEntry>;
  advanceGeneration?: () => Promise<number | undefined>;

  load(key: string): Promise<string | undefined> {
    return Promise.resolve(this.entries.get(key));
  }

  save(key: string, data: string): Promise<void> {
    this.saves.push(key);
    this.entries.set(key, data);
    return Promise.resolve();
  }

  /** The saved entry of `user`, parsed. */
  entryOf(user: RollgateUser | undefined): Record<string, unknown> | undefined {
    const text = this.entries.get(keyOf(user));
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }
}

function cacheOver(store: CacheStore, options: { maxEntries?: number; logger?: Logger } = {}): ClientCache {
  return new ClientCache({
    cache: { store, ttl: 300, maxAge: 86_400 },
    baseUrl: BASE_URL,
    apiKey: API_KEY,
    logger: options.logger ?? new RecordingLogger(),
    now: () => NOW,
    maxEntries: options.maxEntries ?? 10,
    onError: () => undefined,
  });
}

function snapshot(user: RollgateUser | undefined, extra: Partial<FlagSnapshot> = {}): FlagSnapshot {
  return { flags: FlagTable.of([["feature", ON]]), source: "server", fetchedAt: NOW - 5_000, etag: undefined, user, stale: false, ...extra };
}

describe("the client's cache", () => {
  it("is shared only when the store says shared: true", () => {
    const store = new RecordingStore();
    expect(cacheOver(store).shared).toBe(false);
    store.shared = false;
    expect(cacheOver(store).shared).toBe(false);
    store.shared = true;
    expect(cacheOver(store).shared).toBe(true);
  });

  it("keeps change generations only with a store that both reads and advances them", () => {
    const read = () => Promise.resolve({ data: undefined, generation: 0 });
    const advance = () => Promise.resolve(1);
    const neither = new RecordingStore();
    const readOnly = Object.assign(new RecordingStore(), { loadWithGeneration: read });
    const advanceOnly = Object.assign(new RecordingStore(), { advanceGeneration: advance });
    const both = Object.assign(new RecordingStore(), { loadWithGeneration: read, advanceGeneration: advance });
    expect([neither, readOnly, advanceOnly, both].map((store) => cacheOver(store).hasGenerations)).toEqual([false, false, false, true]);
  });

  describe("saving", () => {
    it("writes a user's flags to their own entry, dated when they were fetched, with the ETag only when there is one", async () => {
      const store = new RecordingStore();
      const cache = cacheOver(store);
      cache.save(snapshot(ANA, { etag: '"v1"' }));
      cache.save(snapshot(BEN));
      await cache.flush();
      expect(store.entryOf(ANA)).toEqual({ version: 1, savedAt: NOW - 5_000, etag: '"v1"', flags: { feature: { type: "boolean", enabled: true, value: true, reason: { kind: "FALLTHROUGH" } } } });
      expect(store.entryOf(BEN)).not.toHaveProperty("etag");
      // The same id with other attributes is another user's entry.
      expect(store.entryOf({ id: "ana", attributes: { plan: "free" } })).toBeUndefined();
    });

    it("dates flags that were never fetched now, and records the fleet's generation only when given one", async () => {
      const store = new RecordingStore();
      const cache = cacheOver(store);
      cache.save(snapshot(ANA, { fetchedAt: undefined }), 7);
      cache.save(snapshot(BEN), 0);
      cache.save(snapshot(CAL));
      await cache.flush();
      expect(store.entryOf(ANA)).toMatchObject({ savedAt: NOW, generation: 7 });
      expect(store.entryOf(BEN)).toMatchObject({ generation: 0 });
      expect(store.entryOf(CAL)).not.toHaveProperty("generation");
    });

    it("resolves flush() only once every user's queued save has landed", async () => {
      const store = new RecordingStore();
      const release: (() => void)[] = [];
      const save = store.save.bind(store);
      store.save = (key, data) => new Promise<void>((resolve) => release.push(() => void save(key, data).then(resolve)));
      const cache = cacheOver(store);
      cache.save(snapshot(ANA));
      cache.save(snapshot(BEN));
      let flushed = false;
      const flushing = cache.flush().then(() => (flushed = true));
      await settle();
      expect(release).toHaveLength(2);
      release[0]!();
      await settle();
      expect(flushed).toBe(false);
      release[1]!();
      await flushing;
      expect([...store.entries.keys()].sort()).toEqual([keyOf(ANA), keyOf(BEN)].sort());
    });
  });

  describe("past maxEntries", () => {
    it("removes the least recently saved user's entry, counting a user saved again as recent", async () => {
      const store = new RecordingStore();
      const cache = cacheOver(store, { maxEntries: 2 });
      cache.save(snapshot(ANA));
      cache.save(snapshot(BEN));
      // Ana again: now Ben is the least recently saved.
      cache.save(snapshot(ANA));
      await cache.flush();
      expect(store.deleted).toEqual([]);
      cache.save(snapshot(CAL));
      await cache.flush();
      await settle();
      expect(store.deleted).toEqual([keyOf(BEN)]);
      expect([...store.entries.keys()].sort()).toEqual([keyOf(ANA), keyOf(CAL)].sort());
      // Ben's save queue went with his entry: saving him again starts a new one, and Ana goes.
      cache.save(snapshot(BEN));
      await cache.flush();
      await settle();
      expect(store.deleted).toEqual([keyOf(BEN), keyOf(ANA)]);
      expect(store.entryOf(BEN)).toBeDefined();
    });

    it("keeps exactly maxEntries users' entries", async () => {
      const store = new RecordingStore();
      const cache = cacheOver(store, { maxEntries: 3 });
      for (const user of [ANA, BEN, CAL]) cache.save(snapshot(user));
      await cache.flush();
      await settle();
      expect(store.deleted).toEqual([]);
      expect(store.entries.size).toBe(3);
    });

    it("removes an entry only after its queued save landed, so the save cannot bring it back", async () => {
      const store = new RecordingStore();
      let land: (() => void) | undefined;
      const save = store.save.bind(store);
      store.save = (key, data) => (key === keyOf(ANA) && land === undefined ? new Promise<void>((resolve) => (land = () => void save(key, data).then(resolve))) : save(key, data));
      const cache = cacheOver(store, { maxEntries: 1 });
      cache.save(snapshot(ANA));
      await settle();
      cache.save(snapshot(BEN));
      await settle();
      expect(store.deleted).toEqual([]);
      land!();
      await cache.flush();
      await settle();
      await settle();
      expect(store.deleted).toEqual([keyOf(ANA)]);
      expect(store.entries.has(keyOf(ANA))).toBe(false);
    });

    it("never removes a shared store's entries (they serve the rest of the fleet)", async () => {
      const store = new RecordingStore();
      store.shared = true;
      const cache = cacheOver(store, { maxEntries: 1 });
      for (const user of [ANA, BEN, CAL]) cache.save(snapshot(user));
      await cache.flush();
      await settle();
      expect(store.deleted).toEqual([]);
      expect(store.entries.size).toBe(3);
    });

    it("logs at debug, with the store's reason, a store that cannot remove an old entry, and goes on", async () => {
      const logger = new ContextLogger();
      const store = new RecordingStore();
      store.delete = () => Promise.reject(new Error("read-only"));
      const cache = cacheOver(store, { maxEntries: 1, logger });
      cache.save(snapshot(ANA));
      cache.save(snapshot(BEN));
      await cache.flush();
      await settle();
      await settle();
      expect(logger.lines).toEqual([{ level: "debug", message: "Could not remove an old cache entry.", context: { error: "Error: read-only" } }]);
      expect(store.entryOf(BEN)).toBeDefined();
    });
  });

  describe("reading", () => {
    it("loads the entry of the user asked for, not another's", async () => {
      const store = new RecordingStore();
      const cache = cacheOver(store);
      cache.save(snapshot(ANA, { etag: '"a"' }));
      await cache.flush();
      expect(await cache.load(ANA)).toMatchObject({ etag: '"a"', stale: false });
      expect(await cache.load(BEN)).toBeUndefined();
    });

    it("reads a shared entry together with the fleet's generation, in one call", async () => {
      const store = new RecordingStore();
      const loads: string[] = [];
      store.loadWithGeneration = (key) => {
        loads.push(key);
        return Promise.resolve({ data: store.entries.get(key), generation: 4 });
      };
      store.load = () => Promise.reject(new Error("load() is not how a shared entry is read"));
      const cache = cacheOver(store);
      cache.save(snapshot(ANA, { etag: '"a"' }), 3);
      await cache.flush();
      const { entry, generation } = await cache.loadShared(ANA);
      expect({ etag: entry?.etag, generation: entry?.generation, stale: entry?.stale, flags: [...(entry?.flags.keys() ?? [])] }).toEqual({ etag: '"a"', generation: 3, stale: false, flags: ["feature"] });
      expect(generation).toBe(4);
      expect(loads).toEqual([keyOf(ANA)]);
    });

    it("reads a shared entry with load() from a store that keeps no generation: the generation is unknown", async () => {
      const store = new RecordingStore();
      const cache = cacheOver(store);
      cache.save(snapshot(ANA, { etag: '"a"' }));
      await cache.flush();
      const loaded = await cache.loadShared(ANA);
      expect(loaded.entry).toMatchObject({ etag: '"a"' });
      expect(loaded).toHaveProperty("generation", undefined);
    });

    it("gives nothing, logged at debug with the store's reason, when the shared read fails", async () => {
      const logger = new ContextLogger();
      const store = new RecordingStore();
      store.loadWithGeneration = () => Promise.reject(new Error("down"));
      const loaded = await cacheOver(store, { logger }).loadShared(ANA);
      expect(loaded).toEqual({ entry: undefined, generation: undefined });
      expect(logger.lines).toEqual([{ level: "debug", message: "Could not read the shared flag cache.", context: { error: "Error: down" } }]);
    });
  });

  describe("the fleet's generation and claims", () => {
    it("advances the generation through the store, and gives undefined when it cannot", async () => {
      const store = new RecordingStore();
      expect(await cacheOver(store).advanceGeneration()).toBeUndefined();
      store.advanceGeneration = () => Promise.resolve(5);
      expect(await cacheOver(store).advanceGeneration()).toBe(5);
      store.advanceGeneration = () => Promise.reject(new Error("down"));
      expect(await cacheOver(store).advanceGeneration()).toBeUndefined();
    });

    it("claims the user's own entry key for the time asked, and answers what the store does", async () => {
      const store = new RecordingStore();
      const claims: [string, number][] = [];
      store.claim = (key, ms) => {
        claims.push([key, ms]);
        return Promise.resolve(false);
      };
      expect(await cacheOver(store).claim(ANA, 1_500)).toBe(false);
      expect(claims).toEqual([[keyOf(ANA), 1_500]]);
    });

    it("lets this process fetch when the store has no claims or cannot tell (claim rejects)", async () => {
      const store = new RecordingStore();
      expect(await cacheOver(store).claim(ANA, 1_000)).toBe(true);
      store.claim = () => Promise.reject(new Error("down"));
      expect(await cacheOver(store).claim(ANA, 1_000)).toBe(true);
    });
  });

  describe("closing", () => {
    it("closes the store, and only warns, with the store's reason, when that fails", async () => {
      const logger = new ContextLogger();
      const store = new RecordingStore();
      let closed = 0;
      store.close = () => {
        closed++;
        return Promise.resolve();
      };
      await cacheOver(store, { logger }).close();
      expect(closed).toBe(1);
      store.close = () => Promise.reject(new Error("busy"));
      await expect(cacheOver(store, { logger }).close()).resolves.toBeUndefined();
      expect(logger.lines).toEqual([{ level: "warn", message: "Closing the cache store failed.", context: { error: "Error: busy" } }]);
      delete store.close;
      await expect(cacheOver(store, { logger }).close()).resolves.toBeUndefined();
    });

    it("says within a bounded wait (virtual time) whether every save landed: true at once, false for a store that hangs", async () => {
      const clock = new VirtualClock();
      const store = new RecordingStore();
      const cache = cacheOver(store);
      cache.save(snapshot(ANA));
      expect(await cache.flushWithin(1_000, clock.scheduler)).toBe(true);

      const hanging = new RecordingStore();
      hanging.save = () => new Promise<void>(() => undefined);
      const stuck = cacheOver(hanging);
      stuck.save(snapshot(ANA));
      let answer: boolean | undefined;
      const waiting = stuck.flushWithin(1_000, clock.scheduler).then((flushed) => (answer = flushed));
      await settle();
      clock.advanceBy(999);
      await settle();
      expect(answer).toBeUndefined();
      clock.advanceBy(1);
      await waiting;
      expect(answer).toBe(false);
    });
  });
});
