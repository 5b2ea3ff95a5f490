import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { CacheError } from "../errors";
import type { CacheStore } from "./cache-store";
import { defaultCacheDir } from "./default-cache-dir";

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
 * `.<key>.<pid>.<random>.tmp` file behind; it is never read.
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
    const path = this.#entryPath(key);
    try {
      if (this.#explicitDir === undefined) await this.#assertTrustedDirectory();
      return await readFile(path, "utf8");
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
    const target = this.#entryPath(key);
    const dir = this.dir;
    const temporary = join(dir, `.${key}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    let handle: FileHandle | undefined;
    try {
      // Created on every save, not once: a temp-dir cleaner may remove it while we run.
      const created = await mkdir(dir, { recursive: true, mode: 0o700 });
      // mkdir's mode is filtered by the umask; make the directory we created exactly 0700.
      if (created !== undefined) await chmod(dir, 0o700);
      if (this.#explicitDir === undefined) await this.#assertTrustedDirectory();
      // "wx": fail rather than follow a file (or symlink) someone placed at this name.
      handle = await open(temporary, "wx", 0o600);
      await handle.writeFile(data, "utf8");
      await handle.sync();
      await handle.close();
      handle = undefined;
      await rename(temporary, target);
    } catch (error) {
      await handle?.close().catch(ignore);
      await rm(temporary, { force: true }).catch(ignore);
      if (error instanceof CacheError) throw error;
      throw new CacheError(`Could not write the flag cache file ${target} (${describe(error)}). Give the cache a writable dir.`, {
        cause: error,
      });
    }
    await syncDirectory(dir);
  }

  /** Removes `<dir>/<key>.json`, if it exists. */
  async delete(key: string): Promise<void> {
    const target = this.#entryPath(key);
    try {
      await rm(target, { force: true });
    } catch (error) {
      throw new CacheError(`Could not remove the flag cache file ${target} (${describe(error)}).`, { cause: error });
    }
  }

  #entryPath(key: string): string {
    if (!SAFE_KEY.test(key)) {
      throw new CacheError("A flag cache key must be 1 to 128 letters, digits, '-' or '_'; use cacheKey() to make one.");
    }
    return join(this.dir, `${key}.json`);
  }

  /**
   * The default directories may fall back to the shared temporary directory, where anyone can
   * create `rollgate-<uid>` first: refuse a directory we do not own or others can write to, or
   * they could plant flags for us. (A directory given explicitly is the user's choice.)
   */
  async #assertTrustedDirectory(): Promise<void> {
    const uid = process.getuid?.();
    if (uid === undefined) return;
    const status = await stat(this.dir);
    if (!status.isDirectory() || status.uid !== uid || (status.mode & 0o022) !== 0) {
      throw new CacheError(
        `Refusing to use the flag cache directory ${this.dir}: it is not a directory owned by this user and closed to others. ` +
          "Remove it or pass cache.dir.",
      );
    }
  }
}

/** Makes the rename durable; best effort, as not every platform can open a directory. */
async function syncDirectory(dir: string): Promise<void> {
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
