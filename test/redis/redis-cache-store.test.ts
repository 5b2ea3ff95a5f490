import { Redis } from "ioredis";
import { CacheError, RollgateConfigError } from "rollgate";
import { RedisCacheStore } from "rollgate/redis";
import { cacheKey } from "../../src/cache/cache-key";
import { serializeCacheEntry } from "../../src/cache/cache-entry";
import { describeWithRedis, LocalRedis } from "../support/local-redis";
import { RecordingLogger } from "../support/test-client";
import { eventually } from "../support/virtual-clock";

// RedisCacheStore against a real redis-server of the test's own (issue 21 items 1, 4, 5).

const KEY = cacheKey("http://127.0.0.1:1", "rg_server_test", "user-1");
const ENTRY = serializeCacheEntry({ flags: new Map([["f", { type: "boolean", enabled: true, value: true, reason: { kind: "FALLTHROUGH" } }]]), savedAt: 1 });

describeWithRedis("RedisCacheStore", () => {
  let redis: LocalRedis;
  let admin: Redis;
  const stores: RedisCacheStore[] = [];
  const storeFor = (options: Partial<ConstructorParameters<typeof RedisCacheStore>[0]> = {}) => {
    // A generous bound unless a test is about it: a loaded CI machine must not look like a Redis outage.
    const store = new RedisCacheStore({ url: redis.url, logger: new RecordingLogger(), timeoutMs: 2_000, ...options });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    redis = await LocalRedis.start();
    admin = new Redis(redis.url);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    if (!redis.running) await redis.restart();
    redis.unpause();
    await admin.flushall();
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });

  it("saves an entry under its prefix and hashed key with the entry TTL, and loads it back", async () => {
    const store = storeFor({ prefix: "rollgate:test:", ttl: 60 });
    expect(store.shared).toBe(true);
    await store.save(KEY, ENTRY);
    expect(await admin.keys("*")).toEqual([`rollgate:test:${KEY}`]);
    const ttlMs = await admin.pttl(`rollgate:test:${KEY}`);
    expect(ttlMs).toBeGreaterThan(55_000);
    expect(ttlMs).toBeLessThanOrEqual(60_000);
    expect(await store.load(KEY)).toBe(ENTRY);
    expect(await store.load(cacheKey("http://127.0.0.1:1", "rg_server_test", "user-2"))).toBeUndefined();
    await store.delete(KEY);
    expect(await admin.exists(`rollgate:test:${KEY}`)).toBe(0);
    expect(store.stats()).toMatchObject({ hits: 1, misses: 1, writes: 1, skipped: 0, failed: 0, ignored: 0, available: true });
  });

  it("keeps the fleet's change generation: 0 before any change, read with the entry, moved on by each announcement, unknown while Redis is down", async () => {
    const store = storeFor({ prefix: "rollgate:test:", timeoutMs: 300 });
    expect(await store.loadWithGeneration(KEY)).toEqual({ data: undefined, generation: 0 });
    await store.save(KEY, ENTRY);
    expect(await store.advanceGeneration()).toBe(1);
    expect(await store.advanceGeneration()).toBe(2);
    expect(await store.loadWithGeneration(KEY)).toEqual({ data: ENTRY, generation: 2 });
    expect(await admin.get("rollgate:test:generation")).toBe("2");
    redis.pause();
    expect(await store.loadWithGeneration(KEY)).toEqual({ data: undefined, generation: undefined });
    expect(await store.advanceGeneration()).toBeUndefined();
  });

  it("refuses a key that is not a hash, so a user id or an e-mail can never become a Redis key", async () => {
    const store = storeFor();
    await expect(store.save("jane@example.com", ENTRY)).rejects.toBeInstanceOf(CacheError);
    await expect(store.load("user 1")).rejects.toBeInstanceOf(CacheError);
    expect(await admin.keys("*")).toEqual([]);
  });

  it("ignores and counts oversized and foreign entries, without serving them", async () => {
    const store = storeFor({ maxEntryBytes: ENTRY.length });
    await admin.set(`rollgate:${KEY}`, `${ENTRY} `);
    expect(await store.load(KEY)).toBeUndefined();
    await admin.set(`rollgate:${KEY}`, JSON.stringify({ session: "someone else's" }));
    expect(await store.load(KEY)).toBeUndefined();
    await store.save(KEY, `${ENTRY}  `);
    expect(await admin.get(`rollgate:${KEY}`)).toBe(JSON.stringify({ session: "someone else's" }));
    store.discard(KEY, "not valid JSON");
    expect(store.stats()).toMatchObject({ hits: 0, ignored: 4, writes: 0 });
  });

  it("uses a client you made and leaves it open on close()", async () => {
    const client = new Redis(redis.url);
    const store = new RedisCacheStore({ client, logger: new RecordingLogger(), timeoutMs: 2_000 });
    await store.save(KEY, ENTRY);
    await store.close();
    expect(client.listenerCount("error")).toBe(0);
    expect(await client.get(`rollgate:${KEY}`)).toBe(ENTRY);
    client.disconnect();
  });

  it("closes the connection it made, idempotently", async () => {
    const store = storeFor();
    await store.load(KEY);
    await Promise.all([store.close(), store.close()]);
    expect(store.available).toBe(false);
    expect(await store.load(KEY)).toBeUndefined();
  });

  it("rejects invalid options with a config error naming the option, never quoting the URL", () => {
    expect(() => new RedisCacheStore({})).toThrow(RollgateConfigError);
    expect(() => new RedisCacheStore({ url: "http://user:hunter2@host" })).toThrow(/Invalid RedisCacheStore option url/);
    expect(() => new RedisCacheStore({ url: "http://user:hunter2@host" })).not.toThrow(/hunter2/);
    expect(() => new RedisCacheStore({ url: redis.url, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new RedisCacheStore({ url: redis.url, prefix: "a b" })).toThrow(/prefix/);
  });

  describe("when Redis is down", () => {
    it("costs at most the timeout once, then skips Redis without calling it, logs once, and resumes by itself", async () => {
      const logger = new RecordingLogger();
      const store = storeFor({ logger, timeoutMs: 500, retryIntervalMs: 50 });
      const resumed = jest.fn();
      store.onResumed(resumed);
      await store.save(KEY, ENTRY);
      await redis.kill();

      const started = performance.now();
      expect(await store.load(KEY)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(1_000);
      await eventually(() => !store.available, 2_000, "the store to see Redis down");
      const calls = store.stats();
      for (let i = 0; i < 100; i++) {
        expect(await store.load(KEY)).toBeUndefined();
        await store.save(KEY, ENTRY);
      }
      expect(store.stats().skipped - calls.skipped).toBe(200);
      expect(logger.messages.filter((m) => m.level === "warn")).toHaveLength(1);
      expect(logger.text()).toContain("Redis is unreachable");

      await redis.restart();
      await eventually(() => store.available, 5_000, "the store to resume");
      expect(resumed).toHaveBeenCalledTimes(1);
      expect(logger.text()).toContain("Redis answers again");
      await store.save(KEY, ENTRY);
      expect(await store.load(KEY)).toBe(ENTRY);
      expect(logger.messages.filter((m) => m.level === "warn" || m.level === "error")).toHaveLength(1);
    });

    it("bounds a call to a Redis that does not answer (frozen), and resumes when it answers again", async () => {
      const logger = new RecordingLogger();
      const store = storeFor({ logger, timeoutMs: 300, retryIntervalMs: 50 });
      await store.save(KEY, ENTRY);
      redis.pause();
      const started = performance.now();
      expect(await store.load(KEY)).toBeUndefined();
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1_500);
      expect(store.available).toBe(false);
      expect(store.stats().failed).toBe(1);
      redis.unpause();
      await eventually(() => store.available, 5_000, "the store to resume");
      expect(await store.load(KEY)).toBe(ENTRY);
    });

    it("starts with Redis unreachable without an unhandled error, and answers nothing at once", async () => {
      const logger = new RecordingLogger();
      await redis.kill();
      const store = storeFor({ logger, timeoutMs: 100 });
      expect(await store.load(KEY)).toBeUndefined();
      await store.save(KEY, ENTRY);
      await eventually(() => !store.available, 2_000, "the store to see Redis down");
      expect(logger.messages.filter((m) => m.level === "warn")).toHaveLength(1);
    });
  });
});
