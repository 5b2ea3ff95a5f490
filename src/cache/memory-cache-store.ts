import type { CacheStore } from "./cache-store";

/**
 * A {@link CacheStore} held in this process's memory: nothing survives a restart. Useful in
 * tests, and to share cached flags between clients created one after another in one process.
 *
 * @example
 * const store = new MemoryCacheStore();
 * const client = new RollgateClient({ apiKey, cache: { store } });
 */
export class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, string>();

  /** Resolves the entry saved under `key`, or `undefined`. */
  load(key: string): Promise<string | undefined> {
    return Promise.resolve(this.#entries.get(key));
  }

  /** Replaces the entry under `key`. */
  save(key: string, data: string): Promise<void> {
    this.#entries.set(key, data);
    return Promise.resolve();
  }

  /** Removes the entry under `key`, if any. */
  delete(key: string): Promise<void> {
    this.#entries.delete(key);
    return Promise.resolve();
  }
}
