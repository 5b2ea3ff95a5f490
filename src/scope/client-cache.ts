import { firstValueFrom, from, map, race, timer, type SchedulerLike } from "rxjs";
import { cacheKey } from "../cache/cache-key";
import { serializeCacheEntry } from "../cache/cache-entry";
import type { ResolvedCacheOptions } from "../cache/cache-options";
import { cachedFlagsFrom, loadCachedFlags, type LoadCachedFlagsOptions, type LoadedCachedFlags } from "../cache/load-cached-flags";
import { SnapshotPersister } from "../cache/snapshot-persister";
import type { CacheError } from "../errors";
import type { Logger } from "../logger/logger";
import type { FlagSnapshot } from "../model/flag-snapshot";
import { userKey } from "./user-key";
import type { RollgateUser } from "../model/rollgate-user";

/** A per-request user's entry read from a shared store, with the fleet's change generation. */
export interface SharedLoad {
  readonly entry: LoadedCachedFlags | undefined;
  /** The fleet's change generation at the read; undefined when the store cannot tell. */
  readonly generation: number | undefined;
}

export interface ClientCacheDeps {
  readonly cache: ResolvedCacheOptions;
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly logger: Logger;
  readonly now: () => number;
  /** Most entries this client keeps: past it, the least recently saved user's entry is removed. */
  readonly maxEntries: number;
  readonly onError: (error: CacheError) => void;
}

/**
 * The client's view of the persistent cache: one entry per base URL + key + user (so users never
 * mix), loaded before the network and saved in the background whenever the flags change. At most
 * `maxEntries` users' entries (and their save queues) are kept: a process that identifies many
 * users neither fills the disk nor the heap.
 */
export class ClientCache {
  /** Save queues by entry key, least recently saved first. */
  private readonly persisters = new Map<string, SnapshotPersister>();

  constructor(private readonly deps: ClientCacheDeps) {}

  /** Whether the store is shared by a fleet (see CacheStore.shared). */
  get shared(): boolean {
    return this.deps.cache.store.shared === true;
  }

  /** Whether the store keeps a fleet change generation (see CacheStore.advanceGeneration). */
  get hasGenerations(): boolean {
    const { store } = this.deps.cache;
    return store.loadWithGeneration !== undefined && store.advanceGeneration !== undefined;
  }

  /** The cached flags of `user`, if any are young enough; never rejects. */
  load(user: RollgateUser | undefined): Promise<LoadedCachedFlags | undefined> {
    return loadCachedFlags(this.loadOptions(user));
  }

  /** The cached flags of `user` and the fleet's change generation, read together; never rejects. */
  async loadShared(user: RollgateUser | undefined): Promise<SharedLoad> {
    const { store } = this.deps.cache;
    if (store.loadWithGeneration === undefined) return { entry: await this.load(user), generation: undefined };
    const options = this.loadOptions(user);
    try {
      const { data, generation } = await store.loadWithGeneration(options.key);
      return { entry: cachedFlagsFrom(data, options), generation };
    } catch (error) {
      this.deps.logger.debug("Could not read the shared flag cache.", { error: String(error) });
      return { entry: undefined, generation: undefined };
    }
  }

  /** Moves the fleet's change generation on (a change was announced here); undefined when the store cannot. Never rejects. */
  async advanceGeneration(): Promise<number | undefined> {
    try {
      return await this.deps.cache.store.advanceGeneration?.();
    } catch {
      return undefined;
    }
  }

  /**
   * Claims the right to fetch `user`'s flags for `ms` (a shared store's short lock; see
   * CacheStore.claim): true when this process should ask Rollgate. Never rejects.
   */
  async claim(user: RollgateUser | undefined, ms: number): Promise<boolean> {
    const { store } = this.deps.cache;
    if (store.claim === undefined) return true;
    try {
      return await store.claim(this.keyOf(user), ms);
    } catch {
      return true;
    }
  }

  /**
   * Queues the snapshot's flags for saving; returns at once. `generation`: the fleet's change
   * generation read before they were asked for (shared stores), recorded in the entry.
   */
  save(snapshot: FlagSnapshot, generation?: number): void {
    const key = this.keyOf(snapshot.user);
    let persister = this.persisters.get(key);
    if (persister === undefined) {
      persister = new SnapshotPersister({ store: this.deps.cache.store, key, logger: this.deps.logger, onError: this.deps.onError });
    } else {
      this.persisters.delete(key);
    }
    this.persisters.set(key, persister);
    // When the flags were fetched, not when they are written: a refill after a store outage must
    // not make old flags look new to the rest of the fleet.
    const savedAt = snapshot.fetchedAt ?? this.deps.now();
    const entry = {
      flags: snapshot.flags,
      savedAt,
      ...(snapshot.etag === undefined ? {} : { etag: snapshot.etag }),
      ...(generation === undefined ? {} : { generation }),
    };
    // Serialized in the background, once per save that lands: a burst of changes serializes only the last.
    persister.persist(() => serializeCacheEntry(entry));
    this.evict();
  }

  /** Releases the store's connections (a store without `close` holds none); never rejects. */
  async close(): Promise<void> {
    try {
      await this.deps.cache.store.close?.();
    } catch (error) {
      this.deps.logger.warn("Closing the cache store failed.", { error: String(error) });
    }
  }

  /** Resolves when every queued save is done. */
  async flush(): Promise<void> {
    await Promise.all([...this.persisters.values()].map((persister) => persister.flush()));
  }

  /** Whether every queued save was done within `ms` (on `scheduler`): a store that hangs must not hold up close(). */
  flushWithin(ms: number, scheduler: SchedulerLike): Promise<boolean> {
    return firstValueFrom(race(from(this.flush()).pipe(map(() => true)), timer(ms, scheduler).pipe(map(() => false))));
  }

  private evict(): void {
    const { store } = this.deps.cache;
    for (const [key, persister] of this.persisters) {
      if (this.persisters.size <= this.deps.maxEntries) return;
      this.persisters.delete(key);
      // A shared store's entry serves the rest of the fleet: this process forgetting a user is no
      // reason to remove it (it expires in the store).
      if (this.shared) continue;
      // Remove the entry once its queued save has landed, so the save cannot recreate it.
      void persister.flush().then(() => store.delete?.(key)).catch((error: unknown) => this.deps.logger.debug("Could not remove an old cache entry.", { error: String(error) }));
    }
  }

  private loadOptions(user: RollgateUser | undefined): LoadCachedFlagsOptions {
    const { cache, logger, now } = this.deps;
    return { store: cache.store, key: this.keyOf(user), nowMs: now(), ttl: cache.ttl, maxAge: cache.maxAge, logger };
  }

  private keyOf(user: RollgateUser | undefined): string {
    // Keyed by everything that affects evaluation, like the scopes: the same id with other
    // attributes is another user's flags.
    return cacheKey(this.deps.baseUrl, this.deps.apiKey, user === undefined ? undefined : userKey(user));
  }
}
