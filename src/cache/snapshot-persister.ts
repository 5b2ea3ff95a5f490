import { CacheError } from "../errors";
import type { Logger } from "../logger/logger";
import type { CacheStore } from "./cache-store";

/** What a {@link SnapshotPersister} writes to, and whom it tells when it cannot. */
export interface SnapshotPersisterOptions {
  readonly store: CacheStore;
  /** The entry's key, from cacheKey(). */
  readonly key: string;
  readonly logger: Logger;
  /** Called once, with the first failure, e.g. to emit an `error` event. Must not throw (it is contained if it does). */
  readonly onError?: (error: CacheError) => void;
}

/**
 * Saves serialized snapshots to a {@link CacheStore} in the background, coalescing bursts.
 *
 * At most one save is in flight and at most one waits behind it; a newer entry replaces the
 * waiting one, so a burst of any size costs at most two writes and the last entry always
 * wins. The first failed save logs one warning and turns persistence off for this persister:
 * the client carries on in memory (DESIGN.md, "Persistent cache"). Nothing here throws or
 * leaves a rejected promise behind.
 *
 * @example
 * const persister = new SnapshotPersister({ store, key, logger });
 * snapshot$.subscribe((s) => persister.persist(() => serializeCacheEntry({ flags: s.flags, savedAt: scheduler.now() })));
 * // in close():
 * await persister.flush();
 */
export class SnapshotPersister {
  readonly #options: SnapshotPersisterOptions;
  #inFlight: Promise<void> | undefined;
  #pending: string | (() => string) | undefined;
  #disabled = false;

  constructor(options: SnapshotPersisterOptions) {
    this.#options = options;
  }

  /** False once a save has failed: later entries are dropped. */
  get enabled(): boolean {
    return !this.#disabled;
  }

  /**
   * Queues an entry for saving and returns at once; the store is called asynchronously.
   *
   * Pass a function to serialize lazily: it runs in the background, once per save actually
   * made, so a burst of changes serializes only the entry that wins, and the caller (a poll
   * applying 10,000 flags) does not pay for `JSON.stringify` before it returns.
   */
  persist(entry: string | (() => string)): void {
    if (this.#disabled) return;
    this.#pending = entry;
    this.#inFlight ??= this.#drain();
  }

  /** Resolves once nothing is being saved or waiting to be; never rejects. */
  flush(): Promise<void> {
    return this.#inFlight ?? Promise.resolve();
  }

  async #drain(): Promise<void> {
    // Yield first: persist() is called from snapshot subscribers, which must not run store
    // code, and a synchronous burst then collapses into a single save of its last entry.
    await Promise.resolve();
    while (this.#pending !== undefined && !this.#disabled) {
      const entry = this.#pending;
      this.#pending = undefined;
      try {
        await this.#options.store.save(this.#options.key, typeof entry === "function" ? entry() : entry);
      } catch (error) {
        this.#disable(error);
      }
    }
    this.#pending = undefined;
    this.#inFlight = undefined;
  }

  #disable(error: unknown): void {
    this.#disabled = true;
    const cacheError =
      error instanceof CacheError
        ? error
        : new CacheError(`The flag cache store failed to save (${error instanceof Error ? error.message : String(error)}).`, {
            cause: error,
          });
    this.#options.logger.warn("cache not writable; continuing in memory only", { reason: cacheError.message });
    try {
      this.#options.onError?.(cacheError);
    } catch {
      // A failing listener must not turn a cache problem into a crash.
    }
  }
}
