import { chmod, mkdir, open, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { CacheError } from "../errors";
import type { CacheStore } from "./cache-store";
import { defaultCacheDir } from "./default-cache-dir";
import { openTrustedDirectory } from "./open-trusted-directory";
import { readRegularFile } from "./read-regular-file";
import { removeStaleTemporaries } from "./remove-stale-temporaries";

/** Options of {@link FileCacheStore}. */
export interface FileCacheStoreOptions {
  /**
   * The directory holding the cache files; created (mode 0700) when missing.
   * @default `$XDG_CACHE_HOME/rollgate`, else `~/.cache/rollgate`, else `<tmpdir>/rollgate-<uid>` (see defaultCacheDir)
   */
  readonly dir?: string;
}

// Keys are rollgate's hashes (cacheKey); anything else could escape the directory.
const SAFE_KEY = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A {@link CacheStore} keeping one JSON file per key, `<dir>/<key>.json`, mode 0600.
 *
 * Writes are atomic and crash-safe: the data goes to a unique temporary file in the same
 * directory, is fsynced, then renamed over the target (rename is atomic within a file
 * system), and the directory is fsynced. A reader, another process, or a restart after a
 * crash sees the previous entry or the new one, never a mix. A crash mid-write can leave a
 * `.<key>.<pid>.<random>.tmp` file behind; it is never read, and removed by a later save (or
 * the store's first load) once older than a minute.
 *
 * Only regular files are read (a FIFO, device or link at an entry's path is refused, never
 * waited on). The default directory, which may be a shared `/tmp` fallback, is opened without
 * following links and verified on the opened handle (see openTrustedDirectory).
 *
 * Failures reject with {@link CacheError}; a missing file loads as `undefined`.
 *
 * @example
 * const store = new FileCacheStore({ dir: "/var/cache/my-service/rollgate" });
 * const client = new RollgateClient({ apiKey, cache: { store } });
 */
export class FileCacheStore implements CacheStore {
  readonly #explicitDir: string | undefined;
  #resolvedDir: string | undefined;
  #cleanedOnLoad = false;

  constructor(options: FileCacheStoreOptions = {}) {
    this.#explicitDir = options.dir;
  }

  /** The directory in use; the default one is resolved on first access. */
  get dir(): string {
    this.#resolvedDir ??= this.#explicitDir ?? defaultCacheDir();
    return this.#resolvedDir;
  }

  /** Reads `<dir>/<key>.json`; `undefined` when it does not exist. */
  async load(key: string): Promise<string | undefined> {
    const name = entryName(key);
    const path = join(this.dir, name);
    try {
      return await this.#inDirectory(false, async (base) => {
        if (!this.#cleanedOnLoad) {
          this.#cleanedOnLoad = true;
          await removeStaleTemporaries(base);
        }
        return readRegularFile(join(base, name));
      });
    } catch (error) {
      // No file, or a path component that is a file (ENOTDIR): there is no entry. A location that
      // cannot hold entries is reported once, by the save that fails.
      const code = errorCode(error);
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      if (error instanceof CacheError) throw error;
      throw new CacheError(`Could not read the flag cache file ${path} (${describe(error)}); starting without cached flags.`, {
        cause: error,
      });
    }
  }

  /** Atomically replaces `<dir>/<key>.json` with `data`. */
  async save(key: string, data: string): Promise<void> {
    const name = entryName(key);
    const target = join(this.dir, name);
    // node:crypto at the first save, not at import (see cacheKey): a cold start needs nothing else of it.
    const temporaryName = `.${key}.${process.pid}.${process.getBuiltinModule("node:crypto").randomBytes(6).toString("hex")}.tmp`;
    try {
      await this.#inDirectory(true, async (base, directory) => {
        const temporary = join(base, temporaryName);
        let handle: FileHandle | undefined;
        try {
          // "wx": fail rather than follow a file (or symlink) someone placed at this name.
          handle = await open(temporary, "wx", 0o600);
          await handle.writeFile(data, "utf8");
          await handle.sync();
          await handle.close();
          handle = undefined;
          await rename(temporary, join(base, name));
        } catch (error) {
          await handle?.close().catch(ignore);
          await rm(temporary, { force: true }).catch(ignore);
          throw error;
        }
        await removeStaleTemporaries(base);
        await syncDirectory(directory, base);
      });
    } catch (error) {
      if (error instanceof CacheError) throw error;
      throw new CacheError(`Could not write the flag cache file ${target} (${describe(error)}). Give the cache a writable dir.`, {
        cause: error,
      });
    }
  }

  /** Removes `<dir>/<key>.json`, if it exists. */
  async delete(key: string): Promise<void> {
    const name = entryName(key);
    try {
      await this.#inDirectory(false, (base) => rm(join(base, name), { force: true }));
    } catch (error) {
      if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return;
      if (error instanceof CacheError) throw error;
      throw new CacheError(`Could not remove the flag cache file ${join(this.dir, name)} (${describe(error)}).`, { cause: error });
    }
  }

  /**
   * Runs `use` with a path that reaches the cache directory. A directory given explicitly is the
   * user's choice and used as is. The default ones may fall back to the shared temporary
   * directory, where anyone can create `rollgate-<uid>` first: they are opened without following
   * links and verified on the handle (owned by us, closed to others), and `use` gets a path
   * through that handle, so nothing can be swapped in between.
   */
  async #inDirectory<T>(create: boolean, use: (base: string, directory: FileHandle | undefined) => Promise<T>): Promise<T> {
    const dir = this.dir;
    if (create) {
      // Created on every save, not once: a temp-dir cleaner may remove it while we run.
      const created = await mkdir(dir, { recursive: true, mode: 0o700 });
      // mkdir's mode is filtered by the umask; make the directory we created exactly 0700.
      if (created !== undefined) await chmod(dir, 0o700);
    }
    if (this.#explicitDir !== undefined) return use(dir, undefined);
    const trusted = await openTrustedDirectory(dir);
    if (trusted === undefined) throw Object.assign(new Error(`${dir} does not exist`), { code: "ENOENT" });
    try {
      return await use(trusted.path, trusted.handle);
    } finally {
      await trusted.close().catch(ignore);
    }
  }
}

function entryName(key: string): string {
  if (!SAFE_KEY.test(key)) {
    throw new CacheError("A flag cache key must be 1 to 128 letters, digits, '-' or '_'; use cacheKey() to make one.");
  }
  return `${key}.json`;
}

/** Makes the rename durable; best effort, as not every platform can open or sync a directory. */
async function syncDirectory(directory: FileHandle | undefined, dir: string): Promise<void> {
  if (directory !== undefined) {
    await directory.sync().catch(ignore);
    return;
  }
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // The entry is already in place; only its durability across a power loss is weaker.
  } finally {
    await handle?.close().catch(ignore);
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function describe(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}

function ignore(): void {}
