import { asyncScheduler } from "rxjs";
import { Redis, type Cluster, type RedisOptions } from "ioredis";
import type { CacheStore, SharedStoreEntry } from "../cache/cache-store";
import { CACHE_FORMAT_VERSION } from "../cache/cache-entry";
import { CacheError } from "../errors";
import { adaptLogger } from "../logger/adapt-logger";
import { defaultLogger, type Logger } from "../logger/logger";
import { RedisAvailability } from "./redis-availability";
import { resolveRedisCacheStoreOptions, type RedisCacheStoreOptions } from "./redis-cache-store-options";
import type { RedisCacheStats } from "./redis-cache-stats";

// Keys are rollgate's hashes (cacheKey): `flags-` and 32 hex characters. Anything else (a raw user
// id, an e-mail) is refused, so it can never become a Redis key.
const SAFE_KEY = /^[A-Za-z0-9_-]{1,128}$/;

// Every entry rollgate writes starts so (serializeCacheEntry): anything else under our prefix is
// foreign, and costs no JSON.parse.
const ENTRY_START = `{"version":${CACHE_FORMAT_VERSION},`;

/** Redis did not answer a `loadWithGeneration` (it is down): nothing is known. */
const DOWN: (string | null)[] = [];
const UNKNOWN: SharedStoreEntry = Object.freeze({ data: undefined, generation: undefined });

/** Connection states in which a command is sent now rather than queued or refused. */
const CONNECTED = new Set(["ready", "wait"]);

/**
 * A {@link CacheStore} in Redis, shared by every instance of a service (a fleet): an instance
 * reads what another fetched, and one that starts while Rollgate is unreachable serves the
 * fleet's last flags. Built on ioredis (an optional peer dependency: `npm install ioredis`).
 *
 * - Made from a `url` (`redis://` or `rediss://` for TLS, with an ACL `user:password@` and a
 *   `/db`), or from an ioredis client you made (Sentinel, Cluster, custom TLS), which you close.
 * - Keys are `<prefix><hash>`: never the API key, a user id, an e-mail or an attribute.
 *   Entries expire after `ttl` seconds unless rewritten.
 * - Every call is bounded by `timeoutMs`. When Redis is slow or down, a call costs at most that
 *   bound; the store then logs one warning and skips Redis (loads find nothing, saves are
 *   dropped) without calling it, until a probe (every `retryIntervalMs`, and at once when the
 *   connection comes back) is answered; then it logs once more and asks the clients using it
 *   to save again what they hold. It never rejects for a Redis failure, and the client's
 *   `error` events are handled (never unhandled).
 * - Entries are checked on read: one larger than `maxEntryBytes` or not in rollgate's cache
 *   format is ignored and counted ({@link stats}); the client validates the rest in full.
 *
 * @example
 * import { RollgateClient } from "rollgate";
 * import { RedisCacheStore } from "rollgate/redis";
 *
 * const client = new RollgateClient({
 *   apiKey: process.env.ROLLGATE_API_KEY!,
 *   cache: { store: new RedisCacheStore({ url: process.env.REDIS_URL!, prefix: "rollgate:prod:" }) },
 * });
 */
export class RedisCacheStore implements CacheStore {
  /** This store is shared by many instances (see {@link CacheStore.shared}). */
  readonly shared = true;
  readonly #redis: Redis | Cluster;
  readonly #owned: boolean;
  readonly #prefix: string;
  /** `<prefix>generation`: the fleet's change counter (see advanceGeneration). */
  readonly #generationKey: string;
  readonly #ttlMs: number;
  readonly #maxEntryBytes: number;
  readonly #logger: Logger;
  readonly #availability: RedisAvailability;
  readonly #resumed = new Set<() => void>();
  readonly #counts = { hits: 0, misses: 0, writes: 0, skipped: 0, failed: 0, ignored: 0 };
  readonly #onError = (error: unknown): void => this.#connectionError(error);
  readonly #onClose = (): void => this.#availability.markDown("the connection to Redis closed");
  readonly #onReady = (): void => this.#availability.probe();
  #closed: Promise<void> | undefined;

  /** @throws RollgateConfigError when an option is invalid (the message names it). */
  constructor(options: RedisCacheStoreOptions) {
    const resolved = resolveRedisCacheStoreOptions(options);
    this.#prefix = resolved.prefix;
    this.#generationKey = `${resolved.prefix}generation`;
    this.#ttlMs = resolved.ttl * 1000;
    this.#maxEntryBytes = resolved.maxEntryBytes;
    this.#logger = options.logger === undefined ? defaultLogger : adaptLogger(options.logger);
    this.#owned = options.client === undefined;
    // One attempt per command: a call is bounded by timeoutMs anyway, and commands must not pile
    // up in the offline queue while Redis is away.
    this.#redis = options.client ?? new Redis(resolved.url ?? "", { maxRetriesPerRequest: 1, ...options.redisOptions } as RedisOptions & { replyMapping?: "legacy" });
    const redis = this.#redis;
    this.#availability = new RedisAvailability({
      timeoutMs: resolved.timeoutMs,
      retryMs: resolved.retryIntervalMs,
      scheduler: options.scheduler ?? asyncScheduler,
      logger: this.#logger,
      probe: () => redis.ping(),
      connected: () => CONNECTED.has(redis.status),
      onResumed: () => this.#notifyResumed(),
    });
    redis.on("error", this.#onError);
    redis.on("close", this.#onClose);
    redis.on("ready", this.#onReady);
  }

  /** The prefix of every key this store writes. */
  get prefix(): string {
    return this.#prefix;
  }

  /** False while Redis is considered down (calls are skipped). */
  get available(): boolean {
    return this.#availability.available;
  }

  /** What the store did so far; see {@link RedisCacheStats}. */
  stats(): RedisCacheStats {
    return { ...this.#counts, available: this.available };
  }

  /** The entry under `key`; `undefined` when there is none, it is unusable, or Redis is down. */
  async load(key: string): Promise<string | undefined> {
    const redisKey = this.#keyOf(key);
    return this.#usable(key, await this.#availability.run(() => this.#redis.get(redisKey), null, this.#skip));
  }

  /**
   * The entry under `key` (as {@link load}) and the fleet's change generation, in one round trip
   * (`MGET`; on a Cluster, where the two keys live in different slots, two `GET`s sent together).
   * The generation is 0 before any change was counted, undefined while Redis is down.
   */
  async loadWithGeneration(key: string): Promise<SharedStoreEntry> {
    const redisKey = this.#keyOf(key);
    const redis = this.#redis;
    const reply = await this.#availability.run(
      () => (redis.isCluster ? Promise.all([redis.get(redisKey), redis.get(this.#generationKey)]) : redis.mget(redisKey, this.#generationKey)),
      DOWN,
      this.#skip,
    );
    if (reply === DOWN) return UNKNOWN;
    const [text, generation] = reply;
    // No counter yet: no change was announced since this Redis started (generation 0).
    return { data: this.#usable(key, text ?? null), generation: generation === null || generation === undefined ? 0 : generationOf(generation) };
  }

  /**
   * A change was announced to one instance: `INCR <prefix>generation`, and the new value. Entries
   * record the generation they were asked for in, and are fresh only while it is current, so no
   * instance serves an entry from before the change as fresh, whatever its clock says. Undefined
   * while Redis is down (the client then trusts no entry until an increment lands).
   */
  async advanceGeneration(): Promise<number | undefined> {
    const value = await this.#availability.run(() => this.#redis.incr(this.#generationKey), undefined, this.#skip);
    return value === undefined ? undefined : generationOf(String(value));
  }

  /** `text` when it is an entry rollgate may parse (counted as a hit); else undefined (counted). */
  #usable(key: string, text: string | null): string | undefined {
    if (text === null) {
      if (this.available) this.#counts.misses++;
      return undefined;
    }
    if (text.length > this.#maxEntryBytes || !text.startsWith(ENTRY_START)) {
      this.discard(key, text.length > this.#maxEntryBytes ? `larger than maxEntryBytes (${this.#maxEntryBytes})` : "not in rollgate's cache format");
      return undefined;
    }
    this.#counts.hits++;
    return text;
  }

  /** Writes `data` under `key` for `ttl` seconds (SET replaces it atomically); skipped while Redis is down. */
  async save(key: string, data: string): Promise<void> {
    const redisKey = this.#keyOf(key);
    if (data.length > this.#maxEntryBytes) {
      this.#counts.ignored++;
      this.#logger.debug("Not saving a flag cache entry larger than maxEntryBytes to Redis.", { bytes: data.length });
      return;
    }
    const written = await this.#availability.run(() => this.#redis.set(redisKey, data, "PX", this.#ttlMs), undefined, this.#skip);
    if (written !== undefined) this.#counts.writes++;
  }

  /** Removes the entry under `key`; skipped while Redis is down (it expires after `ttl` anyway). */
  async delete(key: string): Promise<void> {
    const redisKey = this.#keyOf(key);
    await this.#availability.run(() => this.#redis.del(redisKey), 0, this.#skip);
  }

  /**
   * Claims the right to fetch `key`'s flags for `ms` milliseconds: `SET <prefix>lock:<key> NX PX ms`.
   * True for the first caller in the fleet, false for the others until it expires; true when Redis
   * is down (then every instance asks Rollgate for itself).
   */
  async claim(key: string, ms: number): Promise<boolean> {
    const redisKey = this.#keyOf(key);
    const claimed = await this.#availability.run(() => this.#redis.set(`${this.#prefix}lock:${redisKey.slice(this.#prefix.length)}`, "1", "PX", Math.max(1, Math.round(ms)), "NX"), "OK", this.#skip);
    return claimed === "OK";
  }

  /** Counts an entry that a client found unusable (corrupt, another format, invalid). */
  discard(key: string, reason: string): void {
    this.#counts.ignored++;
    this.#logger.debug("Ignored an unusable flag cache entry in Redis.", { key: `${this.#prefix}${key}`, reason });
  }

  /**
   * Calls `listener` each time Redis answers again after an outage, so that a client saves again
   * what it holds (Redis may have restarted empty). Returns the function that stops it.
   */
  onResumed(listener: () => void): () => void {
    this.#resumed.add(listener);
    return () => this.#resumed.delete(listener);
  }

  /**
   * Stops using Redis: closes the connection this store made from `url` (a client you passed
   * stays open, only this store's listeners are removed). Idempotent; leaves no open handle.
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#availability.close();
    this.#resumed.clear();
    const redis = this.#redis;
    redis.off("close", this.#onClose);
    redis.off("ready", this.#onReady);
    if (this.#owned) {
      // disconnect() ends the socket now and stops reconnecting; saves were flushed before close.
      redis.disconnect();
      await new Promise<void>((resolve) => {
        if (redis.status === "end") resolve();
        else redis.once("end", () => resolve());
      });
    }
    // Kept until the end: an error the socket reports while closing must still be handled.
    redis.off("error", this.#onError);
  }

  readonly #skip = (reason: "down" | "failed"): void => {
    if (reason === "down") this.#counts.skipped++;
    else this.#counts.failed++;
  };

  #keyOf(key: string): string {
    if (!SAFE_KEY.test(key)) {
      throw new CacheError("A flag cache key must be 1 to 128 letters, digits, '-' or '_'; use cacheKey() to make one.");
    }
    return `${this.#prefix}${key}`;
  }

  #connectionError(error: unknown): void {
    // ioredis reports every failed reconnect here; the availability logs the outage once.
    this.#logger.debug("Redis connection error.", { reason: error instanceof Error ? error.message : String(error) });
  }

  #notifyResumed(): void {
    for (const listener of this.#resumed) {
      try {
        listener();
      } catch (error) {
        this.#logger.debug("A listener of the store's recovery failed.", { reason: String(error) });
      }
    }
  }
}

/** The counter's value, or undefined when it is missing or not a counter rollgate wrote. */
function generationOf(text: string): number | undefined {
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
