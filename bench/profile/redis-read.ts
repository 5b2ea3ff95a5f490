/**
 * Where `forUser` of a user found in Redis spends its time (bench row redis-for-user-store):
 * modes alternate call by call in one process, each summing wall and CPU time.
 * `node --expose-gc --import tsx bench/profile/redis-read.ts <mode[,mode…]> [n] [out.cpuprofile]`
 * where mode is for-user | split (for-user, its time split at the store call) | store | bare-get |
 * bare-mget. With a third argument, writes a CPU profile (50 µs sampling) of the measured loop;
 * DUMP_ENTRY=<file> writes one user's entry there (for in-process micro-benchmarks of the parse).
 */
import { writeFileSync } from "node:fs";
import { Redis } from "ioredis";
import { RollgateClient, silentLogger, type CacheStore, type RollgateUser } from "rollgate";
import { RedisCacheStore } from "rollgate/redis";
import { startRedisProcess } from "../support/redis-process";
import { startCpuProfile } from "./cpu-profile";
import { startServerProcess } from "../support/server-process";

const FLAGS = 100;

async function main(): Promise<void> {
  const modes = (process.argv[2] ?? "for-user,bare-get").split(",");
  const n = Number(process.argv[3] ?? "2000");
  const out = process.argv[4];
  const warmup = 200;
  const redis = await startRedisProcess();
  const server = await startServerProcess(FLAGS);
  const options = { apiKey: server.apiKey, baseUrl: server.url, refreshInterval: 3_600, events: false, telemetry: false, logger: silentLogger, users: { maxUsers: 100_000 } } as const;
  const writer = new RollgateClient({ ...options, cache: { store: new RedisCacheStore({ url: redis.url, timeoutMs: 2_000 }) } });
  const keys: string[] = [];
  // When the reader's store call started and ended (mode split).
  const marks = { sent: 0, read: 0 };
  const split = { before: 0, store: 0, after: 0 };
  const inner = new RedisCacheStore({ url: redis.url, timeoutMs: 2_000 });
  const recording: CacheStore = {
    shared: true,
    load: (key) => inner.load(key),
    save: (key, data) => inner.save(key, data),
    loadWithGeneration: async (key) => {
      keys.push(key);
      marks.sent = performance.now();
      try {
        return await inner.loadWithGeneration(key);
      } finally {
        marks.read = performance.now();
      }
    },
    advanceGeneration: () => inner.advanceGeneration(),
    claim: (key, ms) => inner.claim(key, ms),
    onResumed: (listener) => inner.onResumed(listener),
    close: () => inner.close(),
  };
  const reader = new RollgateClient({ ...options, cache: { store: recording } });
  await Promise.all([writer.init(), reader.init()]);
  const userOf = (i: number): RollgateUser => ({ id: `user-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free", country: "PT" } });
  const users = n + 2 * warmup;
  for (let first = 0; first < users; first += 100) {
    await Promise.all(Array.from({ length: Math.min(100, users - first) }, (_, i) => writer.forUser(userOf(first + i))));
  }
  await writer.close();
  // The keys of every user, read once by the reader (the bare modes read the same entries).
  const store = new RedisCacheStore({ url: redis.url, timeoutMs: 2_000 });
  const bare = new Redis(redis.url);
  let nextUser = 0;
  let next = 0;
  let sink = 0;
  const work: Record<string, () => Promise<unknown>> = {
    "for-user": async () => {
      const flags = await reader.forUser(userOf(nextUser++));
      if (flags.source !== "cache") throw new Error("not from the store");
    },
    // for-user, with its wall time split at the store call: before it, the call, after it.
    split: async () => {
      const start = performance.now();
      const flags = await reader.forUser(userOf(nextUser++));
      const end = performance.now();
      if (flags.source !== "cache") throw new Error("not from the store");
      split.before += marks.sent - start;
      split.store += marks.read - marks.sent;
      split.after += end - marks.read;
    },
    store: async () => {
      const entry = await store.loadWithGeneration(keys[next++ % keys.length]!);
      sink += (JSON.parse(entry.data!) as { version: number }).version;
    },
    "bare-get": async () => {
      sink += (JSON.parse((await bare.get(`rollgate:${keys[next++ % keys.length]!}`))!) as { version: number }).version;
    },
    "bare-mget": async () => {
      const [text] = await bare.mget(`rollgate:${keys[next++ % keys.length]!}`, "rollgate:generation");
      sink += (JSON.parse(text!) as { version: number }).version;
    },
  };
  // The reader's keys first, so the bare modes have entries to read.
  for (let i = 0; i < warmup; i++) await work["for-user"]!();
  if (process.env.DUMP_ENTRY !== undefined) writeFileSync(process.env.DUMP_ENTRY, (await bare.get(`rollgate:${keys[0]!}`))!);
  const runs = modes.map((m) => work[m] ?? (() => Promise.reject(new Error(`unknown mode ${m}`))));
  for (let i = 0; i < warmup; i++) for (const run of runs) await run();
  const stopProfile = await startCpuProfile(out, 50);
  const cpuUs = modes.map(() => 0);
  const wallUs = modes.map(() => 0);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < runs.length; m++) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      await runs[m]!();
      wallUs[m]! += (performance.now() - start) * 1000;
      const used = process.cpuUsage(cpu);
      cpuUs[m]! += used.user + used.system;
    }
  }
  await stopProfile();
  modes.forEach((m, k) => process.stdout.write(`${m.padEnd(10)} ${(wallUs[k]! / n).toFixed(1)} µs wall, ${(cpuUs[k]! / n).toFixed(1)} µs CPU per call\n`));
  if (modes.includes("split")) process.stdout.write(`split: before ${((split.before * 1000) / (n + warmup)).toFixed(1)} µs, store ${((split.store * 1000) / (n + warmup)).toFixed(1)} µs, after ${((split.after * 1000) / (n + warmup)).toFixed(1)} µs\n`);
  if (sink < 0) process.stdout.write(String(sink));
  await reader.close();
  await store.close();
  bare.disconnect();
  await server.close();
  await redis.close();
}

void main();
