/**
 * rollgate/redis: flags shared by a fleet of instances through Redis (README, "Running a fleet").
 * Needs the optional peer dependency ioredis (`npm install ioredis`).
 *
 * @example
 * import { RollgateClient } from "rollgate";
 * import { RedisCacheStore } from "rollgate/redis";
 *
 * const client = new RollgateClient({ apiKey, cache: { store: new RedisCacheStore({ url: process.env.REDIS_URL! }) } });
 */
export { RedisCacheStore } from "./redis-cache-store";
export { REDIS_CACHE_STORE_DEFAULTS, type RedisCacheStoreOptions } from "./redis-cache-store-options";
export type { RedisCacheStats } from "./redis-cache-stats";
