import type { SchedulerLike } from "rxjs";
import type { Cluster, Redis, RedisOptions } from "ioredis";
import * as z from "zod/mini";
import { RollgateConfigError } from "../errors";
import type { LoggerLike } from "../logger/adapt-logger";
import { IN_ENGLISH } from "../options/in-english";

/**
 * Options of {@link RedisCacheStore}: give `url` or `client`.
 *
 * @example
 * new RedisCacheStore({ url: "rediss://rollgate:secret@redis.internal:6380/0", prefix: "rollgate:prod:" });
 * new RedisCacheStore({ client: new Redis({ sentinels: [{ host: "sentinel-1", port: 26379 }], name: "main" }) });
 */
export interface RedisCacheStoreOptions {
  /**
   * Where Redis is: `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS. The store
   * makes its own ioredis client, and closes it in `close()`. Never logged.
   */
  readonly url?: string;
  /** More ioredis options for the client made from `url` (e.g. `tls: { ca }`). */
  readonly redisOptions?: RedisOptions;
  /**
   * An ioredis client you made: `new Redis(…)` (Sentinel included) or `new Cluster(…)`. You close
   * it; the store's `close()` only stops using it.
   */
  readonly client?: Redis | Cluster;
  /**
   * Put before every key: one per environment (staging and production sharing a Redis must not
   * share entries), and what an ACL rule grants (`~rollgate:*`).
   * @default "rollgate:"
   */
  readonly prefix?: string;
  /**
   * Seconds an entry lives in Redis after it was last written (rollgate rewrites what it uses).
   * @default 86400
   */
  readonly ttl?: number;
  /**
   * The longest one Redis call may take, in milliseconds; past it the call counts as failed and
   * Redis as down.
   * @default 200
   */
  readonly timeoutMs?: number;
  /**
   * While Redis is down, how often to ask it (PING) whether it is back, in milliseconds. It is
   * also asked at once whenever the client reconnects.
   * @default 1000
   */
  readonly retryIntervalMs?: number;
  /**
   * Entries longer than this many characters are neither written nor read (a read one is ignored
   * and counted).
   * @default 16777216 (16 MiB, the client's default maxPayloadBytes)
   */
  readonly maxEntryBytes?: number;
  /** Where the store's messages go (one warning per outage, one info line per recovery). @default warnings and errors to stderr */
  readonly logger?: LoggerLike;
  /** The clock of the timeouts and probes; tests pass a virtual one. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** The defaults of {@link RedisCacheStoreOptions}. */
export const REDIS_CACHE_STORE_DEFAULTS = Object.freeze({
  prefix: "rollgate:",
  ttl: 86_400,
  timeoutMs: 200,
  retryIntervalMs: 1_000,
  maxEntryBytes: 16 * 1024 * 1024,
});

export interface ResolvedRedisCacheStoreOptions {
  readonly url: string | undefined;
  readonly prefix: string;
  readonly ttl: number;
  readonly timeoutMs: number;
  readonly retryIntervalMs: number;
  readonly maxEntryBytes: number;
}

const isObject = (value: unknown): boolean => typeof value === "object" && value !== null;
const milliseconds = (max: number) =>
  z.number({ error: "expected a number of milliseconds" }).check(z.int("expected whole milliseconds"), z.minimum(1, "expected at least 1 ms"), z.maximum(max, `expected at most ${max} ms`));

const schema = z
  .strictObject({
    url: z.optional(
      z.string({ error: "expected a redis:// or rediss:// URL" }).check(
        z.refine((text) => /^rediss?:\/\//i.test(text), "expected a redis:// or rediss:// URL"),
      ),
    ),
    redisOptions: z.optional(z.custom<RedisOptions>(isObject, "expected an object of ioredis options")),
    client: z.optional(z.custom<Redis | Cluster>((value) => isObject(value) && typeof (value as { get?: unknown }).get === "function", "expected an ioredis client (Redis or Cluster)")),
    prefix: z.optional(z.string({ error: "expected a string" }).check(z.maxLength(128, "expected at most 128 characters"), z.regex(/^[^\s\p{Cc}]*$/u, "expected no whitespace or control characters"))),
    ttl: z.optional(z.number({ error: "expected a number of seconds" }).check(z.int("expected whole seconds"), z.minimum(1, "expected at least 1 s"), z.maximum(365 * 86_400, "expected at most a year in seconds"))),
    timeoutMs: z.optional(milliseconds(60_000)),
    retryIntervalMs: z.optional(milliseconds(3_600_000)),
    maxEntryBytes: z.optional(z.number({ error: "expected a number of characters" }).check(z.int("expected a whole number"), z.minimum(1, "expected at least 1"))),
    logger: z.optional(z.custom<LoggerLike>(isObject, "expected a logger object")),
    scheduler: z.optional(z.custom<SchedulerLike>((value) => isObject(value) && typeof (value as { now?: unknown }).now === "function", "expected an RxJS SchedulerLike")),
  })
  .check(
    z.refine((options) => (options.url === undefined) !== (options.client === undefined), { message: "give either url or client (exactly one)", path: ["url"] }),
    z.refine((options) => options.redisOptions === undefined || options.client === undefined, { message: "redisOptions apply to a client made from url; configure your own client directly", path: ["redisOptions"] }),
  );

/**
 * Validates the store's options and applies the defaults.
 *
 * @throws RollgateConfigError naming the option (the URL itself is never quoted: it may hold a password).
 */
export function resolveRedisCacheStoreOptions(options: RedisCacheStoreOptions): ResolvedRedisCacheStoreOptions {
  if (!isObject(options)) throw new RollgateConfigError("options", "RedisCacheStore needs an options object with url or client.");
  const parsed = schema.safeParse(options, IN_ENGLISH);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join(".") || "options";
    throw new RollgateConfigError(path, `Invalid RedisCacheStore option ${path}: ${issue.message}.`);
  }
  const given = parsed.data;
  return {
    url: given.url,
    prefix: given.prefix ?? REDIS_CACHE_STORE_DEFAULTS.prefix,
    ttl: given.ttl ?? REDIS_CACHE_STORE_DEFAULTS.ttl,
    timeoutMs: given.timeoutMs ?? REDIS_CACHE_STORE_DEFAULTS.timeoutMs,
    retryIntervalMs: given.retryIntervalMs ?? REDIS_CACHE_STORE_DEFAULTS.retryIntervalMs,
    maxEntryBytes: given.maxEntryBytes ?? REDIS_CACHE_STORE_DEFAULTS.maxEntryBytes,
  };
}
