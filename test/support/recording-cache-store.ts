import { MemoryCacheStore, type CacheStore } from "rollgate";

/** One call to {@link RecordingCacheStore.save}, recorded when it starts. */
export interface RecordedSave {
  readonly key: string;
  readonly data: string;
}

/**
 * A {@link CacheStore} that records every load and save (by default over a MemoryCacheStore)
 * and can hold saves, to count writes and to pile changes up behind a slow one.
 *
 * @example
 * const store = new RecordingCacheStore();
 * const client = clientFor(server, { cache: { store } });
 * await client.init();
 * expect(store.saves).toHaveLength(1);
 */
export class RecordingCacheStore implements CacheStore {
  readonly loads: string[] = [];
  readonly saves: RecordedSave[] = [];
  /** Saves that have returned (resolved) so far. */
  completedSaves = 0;
  #held: { readonly released: Promise<void>; readonly release: () => void } | undefined;

  constructor(readonly inner: CacheStore = new MemoryCacheStore()) {}

  /** Makes every save from now on wait until {@link release}. */
  hold(): void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.#held = { released, release };
  }

  /** Lets held saves (and later ones) through. */
  release(): void {
    this.#held?.release();
    this.#held = undefined;
  }

  /** The data of the last save started, parsed as JSON. */
  lastSaved(): { readonly etag?: string; readonly savedAt: number; readonly flags: Record<string, { readonly enabled: boolean; readonly value: unknown }> } {
    const last = this.saves.at(-1);
    if (last === undefined) throw new Error("nothing was saved");
    return JSON.parse(last.data) as ReturnType<RecordingCacheStore["lastSaved"]>;
  }

  load(key: string): Promise<string | undefined> {
    this.loads.push(key);
    return this.inner.load(key);
  }

  async save(key: string, data: string): Promise<void> {
    this.saves.push({ key, data });
    await this.#held?.released;
    await this.inner.save(key, data);
    this.completedSaves++;
  }
}
