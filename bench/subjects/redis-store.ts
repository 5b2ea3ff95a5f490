import { Redis } from "ioredis";
import { RollgateClient, silentLogger, type CacheStore, type RollgateUser } from "rollgate";
import { RedisCacheStore } from "rollgate/redis";
import { median } from "../measure";
import { hasRedisServer, startRedisProcess } from "../support/redis-process";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 100;
/** How far away Rollgate is: every flags request is answered this late (the local server's delay fault). */
const ROLLGATE_DELAY_MS = 100;

/** A RedisCacheStore that remembers the key of its last load, so the bare GET reads the very same entry. */
function recordingStore(store: RedisCacheStore): CacheStore & { lastLoaded: string } {
  const recorder = {
    lastLoaded: "",
    shared: true,
    load: (key: string) => {
      recorder.lastLoaded = key;
      return store.load(key);
    },
    save: (key: string, data: string) => store.save(key, data),
    loadWithGeneration: (key: string) => {
      recorder.lastLoaded = key;
      return store.loadWithGeneration(key);
    },
    advanceGeneration: () => store.advanceGeneration(),
    claim: (key: string, ms: number) => store.claim(key, ms),
    onResumed: (listener: () => void) => store.onResumed(listener),
    discard: (key: string, reason: string) => store.discard(key, reason),
    close: () => store.close(),
  };
  return recorder;
}

/**
 * A fleet sharing Redis (issue 21): `forUser` of a user another instance wrote to Redis (store
 * read, entry validation, the view) against a bare ioredis GET of the same entry + `JSON.parse`
 * (target 1.2), next to `forUser` of a new user fetched from a Rollgate 100 ms away; and the size
 * of one user's entry, in the entry and in Redis. Skipped (no rows) without redis-server.
 */
const subject: BenchSubject = {
  name: "redis-store",
  async run({ quick }) {
    if (!hasRedisServer()) {
      process.stderr.write("redis-store: redis-server is not installed (Debian package redis-server); no rows.\n");
      return [];
    }
    const redis = await startRedisProcess();
    const server = await startServerProcess(FLAGS, ROLLGATE_DELAY_MS);
    const options = { apiKey: server.apiKey, baseUrl: server.url, refreshInterval: 3_600, events: false, telemetry: false, logger: silentLogger, users: { maxUsers: 100_000 } } as const;
    const writer = new RollgateClient({ ...options, cache: { store: new RedisCacheStore({ url: redis.url, timeoutMs: 2_000 }) } });
    const readerStore = recordingStore(new RedisCacheStore({ url: redis.url, timeoutMs: 2_000 }));
    const reader = new RollgateClient({ ...options, cache: { store: readerStore } });
    await Promise.all([writer.init(), reader.init()]);
    const bare = new Redis(redis.url);
    const userOf = (i: number): RollgateUser => ({ id: `user-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free", country: "PT" } });

    // The users another instance fetched: written to Redis by the writer, in batches. Read back
    // as the new-user row does (for-user.ts): users 21 to 420 after the start while V8 still
    // compiles both sides' code, then, after 1,000 more, the steady state (the target's row).
    const samples = quick ? 100 : 400;
    const warmup = 20;
    const early = samples;
    const settled = warmup + early + (quick ? 200 : 1_000);
    const users = settled + samples;
    for (let first = 0; first < users; first += 50) {
      await Promise.all(Array.from({ length: Math.min(50, users - first) }, (_, i) => writer.forUser(userOf(first + i))));
    }
    await writer.close(); // flushes the last saves

    const wall = async (work: () => Promise<unknown>) => {
      const start = performance.now();
      await work();
      return performance.now() - start;
    };
    const storeMs: number[] = [];
    const bareMs: number[] = [];
    const earlyStoreMs: number[] = [];
    const earlyBareMs: number[] = [];
    let entryBytes = 0;
    let sink = 0;
    for (let i = 0; i < users; i++) {
      const c = await wall(async () => {
        const flags = await reader.forUser(userOf(i));
        if (flags.source !== "cache" || flags.stale) throw new Error(`user ${i} was not served fresh from Redis (${flags.source}).`);
      });
      const key = `rollgate:${readerStore.lastLoaded}`;
      const b = await wall(async () => {
        const text = await bare.get(key);
        entryBytes = text!.length;
        const parsed = JSON.parse(text!) as { flags: Record<string, unknown> };
        sink += Object.keys(parsed.flags).length;
      });
      if (i >= warmup && i < warmup + early) {
        earlyStoreMs.push(c);
        earlyBareMs.push(b);
      } else if (i >= settled) {
        storeMs.push(c);
        bareMs.push(b);
      }
    }
    const redisBytes = Number(await bare.call("MEMORY", "USAGE", `rollgate:${readerStore.lastLoaded}`));

    // The store's own cost (bounded call, format checks), without the client's validation.
    const keys = (await bare.keys("rollgate:flags-*")).slice(0, samples).map((key) => key.slice("rollgate:".length));
    const store = new RedisCacheStore({ url: redis.url, timeoutMs: 2_000 });
    const loadMs: number[] = [];
    const bareAgainMs: number[] = [];
    for (const [i, key] of keys.entries()) {
      const c = await wall(async () => {
        sink += JSON.parse((await store.load(key))!).version as number;
      });
      const b = await wall(async () => {
        sink += JSON.parse((await bare.get(`rollgate:${key}`))!).version as number;
      });
      if (i >= warmup) {
        loadMs.push(c);
        bareAgainMs.push(b);
      }
    }
    await store.close();

    // Users nobody fetched yet: one request to a Rollgate 100 ms away each.
    const rollgateMs: number[] = [];
    for (let i = 0; i < (quick ? 5 : 20); i++) rollgateMs.push(await wall(() => reader.forUser(userOf(1_000_000 + i))));

    await reader.close();
    bare.disconnect();
    await server.close();
    await redis.close();
    if (sink < 0) console.log(sink);
    return [
      { id: "redis-for-user-store", label: `forUser, user found in Redis, ${FLAGS} flags (wall, steady state)`, unit: "µs", candidate: median(storeMs) * 1000, limit: { label: "Redis GET + JSON.parse", value: median(bareMs) * 1000 }, target: 1.2 },
      { id: "redis-for-user-store-early", label: `forUser, user found in Redis, ${FLAGS} flags (wall, users 21-${warmup + early} after start)`, unit: "µs", candidate: median(earlyStoreMs) * 1000, limit: { label: "Redis GET + JSON.parse", value: median(earlyBareMs) * 1000 } },
      { id: "redis-store-load", label: `RedisCacheStore.load + JSON.parse, ${FLAGS} flags (wall)`, unit: "µs", candidate: median(loadMs) * 1000, limit: { label: "Redis GET + JSON.parse", value: median(bareAgainMs) * 1000 }, target: 1.2 },
      { id: "redis-for-user-rollgate", label: `forUser, user fetched from Rollgate ${ROLLGATE_DELAY_MS} ms away (wall)`, unit: "ms", candidate: median(rollgateMs) },
      { id: "redis-entry-bytes", label: `one user's entry, ${FLAGS} flags`, unit: "B", candidate: entryBytes, limit: { label: "Redis MEMORY USAGE", value: redisBytes } },
    ] satisfies BenchRow[];
  },
};

export default subject;
