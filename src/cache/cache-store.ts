/**
 * Where the persistent flag cache lives: a tiny key/value port that users can implement for
 * any store (a directory, Redis, a database row, ...).
 *
 * Entries are opaque strings (the serialized, versioned cache entry), so a store needs no
 * knowledge of flags and any string-valued KV store works. Keys are already hashed by rollgate
 * (`flags-` followed by 32 hex characters): they never contain the API key or the user id.
 *
 * Contract:
 * - `load` resolves `undefined` when there is no entry; it rejects only when the store could
 *   not be read (rollgate then logs a warning and starts without cached flags).
 * - `save` replaces the whole entry. rollgate never has more than one `save` in flight per
 *   client, but several processes may share a store, so a save must not leave a half-written
 *   entry behind. A rejected `save` makes the client log one warning and stop persisting.
 *
 * @example
 * // A Redis store with ioredis: entries expire on their own after a day.
 * import Redis from "ioredis";
 * import type { CacheStore } from "rollgate";
 *
 * const redis = new Redis(process.env.REDIS_URL!);
 * const redisStore: CacheStore = {
 *   async load(key) {
 *     return (await redis.get(`rollgate:${key}`)) ?? undefined;
 *   },
 *   async save(key, data) {
 *     await redis.set(`rollgate:${key}`, data, "EX", 86_400);
 *   },
 * };
 *
 * const client = new RollgateClient({ apiKey, cache: { store: redisStore } });
 */
export interface CacheStore {
  /** Reads the entry saved under `key`; `undefined` when there is none. */
  load(key: string): Promise<string | undefined>;
  /** Replaces the entry under `key` with `data`, atomically. */
  save(key: string, data: string): Promise<void>;
  /**
   * Removes the entry under `key`, if any. Optional: without it, entries rollgate no longer needs
   * (users beyond `users.maxUsers`) stay until the store expires them.
   */
  delete?(key: string): Promise<void>;
  /**
   * True for a store that many instances of a service share (e.g. `RedisCacheStore` from
   * `rollgate/redis`). It turns on the fleet behaviour with no other setting (README, "Running a
   * fleet"): per-request users' flags are kept in the store too, every answer from the server is
   * written back (so the entry's age says when the fleet last asked Rollgate), and entries are
   * never deleted because one instance stopped needing them. A shared store handles its own
   * outages: it never rejects because it is down, it skips calls instead. Optional: absent means
   * a store private to this process (a directory, memory).
   */
  readonly shared?: boolean;
  /**
   * Called by `client.close()` once the last saves are done: release connections and timers.
   * Optional. A store given to several clients is closed by the first to close.
   */
  close?(): Promise<void>;
  /**
   * Registers `listener`, called each time the store is usable again after an outage, so that the
   * client saves again what it holds (the store may have lost its entries). Returns the function
   * that unregisters it. Optional.
   */
  onResumed?(listener: () => void): () => void;
  /**
   * Claims the right to fetch the flags of `key` for `ms` milliseconds (a short lock): resolves
   * true for one caller in the fleet at a time, so that when several instances want the same new
   * user at once, about one asks Rollgate and the others read its result. A store that cannot
   * tell (Redis down) resolves true. Optional: without it, every instance fetches.
   */
  claim?(key: string, ms: number): Promise<boolean>;
  /**
   * Reads the entry under `key` together with the fleet's change generation (see
   * {@link advanceGeneration}), in one round trip: a shared store's read of a per-request user.
   * `generation` is 0 until a change is counted, undefined when the store cannot tell (down). Optional,
   * with `advanceGeneration`: without them, a shared store's entries are served fresh only by an
   * instance that has heard of no change since it started.
   */
  loadWithGeneration?(key: string): Promise<SharedStoreEntry>;
  /**
   * A change was announced to this instance (stream, `refresh()`): moves the fleet's change
   * generation on and resolves the new one, or undefined when the store cannot tell (down). Each
   * entry records the generation read before its flags were asked for, and is fresh only while
   * the generation is still the same: a counter in the store, not a clock, so instances whose
   * clocks disagree never serve an entry written before a change as fresh.
   */
  advanceGeneration?(): Promise<number | undefined>;
  /**
   * Told when an entry this store returned could not be used (corrupt, another format version,
   * invalid flags): it was ignored, never served. Optional; a store may count it.
   */
  discard?(key: string, reason: string): void;
}

/** An entry read with the fleet's change generation ({@link CacheStore.loadWithGeneration}). */
export interface SharedStoreEntry {
  /** The entry, as `load` would resolve it. */
  readonly data: string | undefined;
  /** The fleet's change generation when the entry was read; undefined when the store cannot tell. */
  readonly generation: number | undefined;
}
