import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CacheStore } from "../../src/cache/cache-store";
import { FileCacheStore } from "../../src/cache/file-cache-store";
import { MemoryCacheStore } from "../../src/cache/memory-cache-store";
import { SnapshotPersister } from "../../src/cache/snapshot-persister";
import { CacheError } from "../../src/errors";
import type { Logger } from "../../src/logger/logger";

const KEY = "flags-0123456789abcdef0123456789abcdef";

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (message) => warnings.push(message) };
}

/** A store whose saves stay in flight until the test releases them. */
class GatedStore implements CacheStore {
  readonly saved: string[] = [];
  readonly #gates: Array<() => void> = [];
  inFlight = 0;
  maxInFlight = 0;

  load(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  async save(_key: string, data: string): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise<void>((resolve) => this.#gates.push(resolve));
    this.saved.push(data);
    this.inFlight--;
  }

  /** Resolves once a save is waiting to be released. */
  async waitForSave(): Promise<void> {
    while (this.#gates.length === 0) await Promise.resolve();
  }

  /** Lets the oldest waiting save finish, once it has started. */
  async releaseOne(): Promise<void> {
    await this.waitForSave();
    this.#gates.shift()!();
  }
}

describe("SnapshotPersister", () => {
  it("saves the entry to its store under its key", async () => {
    const store = new MemoryCacheStore();
    const persister = new SnapshotPersister({ store, key: KEY, logger: recordingLogger() });
    persister.persist("entry-1");
    await persister.flush();
    await expect(store.load(KEY)).resolves.toBe("entry-1");
  });

  it("does not call the store from inside persist()", () => {
    const save = jest.fn(() => Promise.resolve());
    new SnapshotPersister({ store: { load: () => Promise.resolve(undefined), save }, key: KEY, logger: recordingLogger() }).persist("x");
    expect(save).not.toHaveBeenCalled();
  });

  it("turns a burst of 100 entries into at most two saves, the last entry winning", async () => {
    const store = new GatedStore();
    const persister = new SnapshotPersister({ store, key: KEY, logger: recordingLogger() });
    persister.persist("entry-0");
    await store.waitForSave();
    for (let i = 1; i < 100; i++) persister.persist(`entry-${i}`);
    const flushed = persister.flush();
    await store.releaseOne();
    await store.releaseOne();
    await flushed;
    expect(store.saved).toEqual(["entry-0", "entry-99"]);
    expect(store.maxInFlight).toBe(1);
  });

  it("coalesces a synchronous burst into one save of its last entry", async () => {
    const store = new MemoryCacheStore();
    const save = jest.spyOn(store, "save");
    const persister = new SnapshotPersister({ store, key: KEY, logger: recordingLogger() });
    for (let i = 0; i < 100; i++) persister.persist(`entry-${i}`);
    await persister.flush();
    expect(save.mock.calls).toEqual([[KEY, "entry-99"]]);
  });

  it("flush() waits for the save in flight and the one pending behind it", async () => {
    const store = new GatedStore();
    const persister = new SnapshotPersister({ store, key: KEY, logger: recordingLogger() });
    persister.persist("a");
    await store.waitForSave();
    persister.persist("b");
    let flushed = false;
    const flush = persister.flush().then(() => (flushed = true));
    await store.releaseOne();
    // "a" is saved and "b" is now in flight, held at its gate: flush must still wait.
    await store.waitForSave();
    expect(store.saved).toEqual(["a"]);
    expect(flushed).toBe(false);
    await store.releaseOne();
    await flush;
    expect(store.saved).toEqual(["a", "b"]);
  });

  it("flush() resolves at once when there is nothing to save", async () => {
    await expect(new SnapshotPersister({ store: new MemoryCacheStore(), key: KEY, logger: recordingLogger() }).flush()).resolves.toBeUndefined();
  });

  it("warns once and stops writing after the first failure, without throwing, on an unwritable directory", async () => {
    const root = await mkdtemp(join(tmpdir(), "rollgate-persister-"));
    try {
      const file = join(root, "file");
      await writeFile(file, "");
      const store = new FileCacheStore({ dir: join(file, "cache") });
      const save = jest.spyOn(store, "save");
      const logger = recordingLogger();
      const onError = jest.fn();
      const persister = new SnapshotPersister({ store, key: KEY, logger, onError });

      persister.persist("a");
      await persister.flush();
      persister.persist("b");
      persister.persist("c");
      await persister.flush();

      expect(logger.warnings).toEqual(["cache not writable; continuing in memory only"]);
      expect(save).toHaveBeenCalledTimes(1);
      expect(persister.enabled).toBe(false);
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls[0]![0]).toBeInstanceOf(CacheError);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it.each<[string, CacheStore["save"]]>([
    ["rejects with a plain Error", () => Promise.reject(new Error("redis down"))],
    ["throws synchronously", () => {
      throw new Error("boom");
    }],
    ["rejects with a non-error", () => Promise.reject("nope")],
  ])("contains a custom store that %s, and an onError that throws", async (_how, save) => {
    const logger = recordingLogger();
    const errors: CacheError[] = [];
    const persister = new SnapshotPersister({
      store: { load: () => Promise.resolve(undefined), save },
      key: KEY,
      logger,
      onError: (error) => {
        errors.push(error);
        throw new Error("listener bug");
      },
    });
    persister.persist("a");
    await expect(persister.flush()).resolves.toBeUndefined();
    expect(logger.warnings).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CacheError);
    expect(errors[0]!.message).toMatch(/^The flag cache store failed to save \(.+\)\.$/);
  });

  it("serializes a lazily given entry outside persist(), once per save made: a burst serializes only what is saved", async () => {
    const store = new GatedStore();
    const persister = new SnapshotPersister({ store, key: KEY, logger: recordingLogger() });
    const serialized: number[] = [];
    const entry = (n: number) => () => {
      serialized.push(n);
      return `entry-${n}`;
    };
    persister.persist(entry(0));
    expect(serialized).toEqual([]);
    await store.waitForSave();
    for (let n = 1; n <= 100; n++) persister.persist(entry(n));
    const flushed = persister.flush();
    await store.releaseOne();
    await store.releaseOne();
    await flushed;
    expect(serialized).toEqual([0, 100]);
    expect(store.saved).toEqual(["entry-0", "entry-100"]);
  });

  it("treats a serializer that throws as a failed save: one warning, persistence off, nothing thrown", async () => {
    const logger = recordingLogger();
    const store = new MemoryCacheStore();
    const persister = new SnapshotPersister({ store, key: KEY, logger });
    persister.persist(() => {
      throw new RangeError("Maximum call stack size exceeded");
    });
    await persister.flush();
    expect(logger.warnings).toHaveLength(1);
    expect(persister.enabled).toBe(false);
  });
});
