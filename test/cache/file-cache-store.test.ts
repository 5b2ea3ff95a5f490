import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheKey } from "../../src/cache/cache-key";
import { serializeCacheEntry } from "../../src/cache/cache-entry";
import { FileCacheStore } from "../../src/cache/file-cache-store";
import { CacheError } from "../../src/errors";
import type { FlagState } from "../../src/model/flag-state";

const KEY = "flags-0123456789abcdef0123456789abcdef";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rollgate-file-cache-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("FileCacheStore", () => {
  it("loads what it saved, and the latest save wins", async () => {
    const store = new FileCacheStore({ dir: root });
    await store.save(KEY, "first");
    await store.save(KEY, '{"second":"é"}');
    await expect(store.load(KEY)).resolves.toBe('{"second":"é"}');
    expect(await readFile(join(root, `${KEY}.json`), "utf8")).toBe('{"second":"é"}');
  });

  it("loads undefined when there is no entry, or not even a directory", async () => {
    await expect(new FileCacheStore({ dir: root }).load(KEY)).resolves.toBeUndefined();
    await expect(new FileCacheStore({ dir: join(root, "absent") }).load(KEY)).resolves.toBeUndefined();
  });

  it("creates missing directories, the cache one with mode 0700, and writes files with mode 0600", async () => {
    const dir = join(root, "a", "b", "rollgate");
    await new FileCacheStore({ dir }).save(KEY, "data");
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, `${KEY}.json`))).mode & 0o777).toBe(0o600);
  });

  it("keeps the mode of a directory it did not create", async () => {
    const dir = join(root, "shared");
    await mkdir(dir, { mode: 0o755 });
    await new FileCacheStore({ dir }).save(KEY, "data");
    expect((await stat(dir)).mode & 0o777).toBe(0o755);
  });

  it("leaves only the entry file after saving: no temporary file", async () => {
    const store = new FileCacheStore({ dir: root });
    await Promise.all([store.save(KEY, "a"), store.save(KEY, "b"), store.save(KEY, "c")]);
    expect(await readdir(root)).toEqual([`${KEY}.json`]);
  });

  it("rejects a save with CacheError when the directory cannot be created (ENOTDIR)", async () => {
    // Tests run as root, for whom chmod-ed directories stay writable: a path below a regular
    // file is unwritable for everyone.
    const file = join(root, "file");
    await writeFile(file, "");
    const error: unknown = await new FileCacheStore({ dir: join(file, "cache") }).save(KEY, "data").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).message).toMatch(/Could not write the flag cache file .*ENOTDIR/);
  });

  it("removes its temporary file when the final rename fails", async () => {
    // A non-empty directory where the entry should be makes the rename fail after the write.
    await mkdir(join(root, `${KEY}.json`, "occupied"), { recursive: true });
    await expect(new FileCacheStore({ dir: root }).save(KEY, "data")).rejects.toBeInstanceOf(CacheError);
    expect(await readdir(root)).toEqual([`${KEY}.json`]);
  });

  it("rejects a load with CacheError when the entry exists but cannot be read", async () => {
    await mkdir(join(root, `${KEY}.json`));
    const error: unknown = await new FileCacheStore({ dir: root }).load(KEY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).message).toMatch(/Refusing to read the flag cache file .*a directory, not a regular file/);
  });

  it.each(["", "../escape", "a/b", "a\\b", ".hidden", "x".repeat(129)])("rejects the unsafe key %p", async (key) => {
    const store = new FileCacheStore({ dir: root });
    await expect(store.save(key, "data")).rejects.toBeInstanceOf(CacheError);
    await expect(store.load(key)).rejects.toBeInstanceOf(CacheError);
    expect(await readdir(root)).toEqual([]);
  });

  it("writes neither the API key nor the user id into file names or contents", async () => {
    const apiKey = "rg_server_TOPSECRET_0123";
    const userId = "user-grace-hopper@example.com";
    const flags = new Map<string, FlagState>([["theme", { type: "string", enabled: true, value: "dark", reason: { kind: "FALLTHROUGH" } }]]);
    const store = new FileCacheStore({ dir: root });
    await store.save(cacheKey("https://api.rollgate.io", apiKey, userId), serializeCacheEntry({ flags, savedAt: 1, etag: '"e1"' }));
    await store.save(cacheKey("https://api.rollgate.io", apiKey, undefined), serializeCacheEntry({ flags, savedAt: 2 }));

    const names = await readdir(root);
    expect(names).toHaveLength(2);
    for (const name of names) {
      const contents = await readFile(join(root, name), "utf8");
      for (const secret of [apiKey, userId, "TOPSECRET", "grace"]) {
        expect(name).not.toContain(secret);
        expect(contents).not.toContain(secret);
      }
    }
  });

  describe("in its default directory", () => {
    const savedXdg = process.env["XDG_CACHE_HOME"];
    afterEach(() => {
      if (savedXdg === undefined) delete process.env["XDG_CACHE_HOME"];
      else process.env["XDG_CACHE_HOME"] = savedXdg;
    });

    it("resolves the directory from XDG_CACHE_HOME on first use", async () => {
      process.env["XDG_CACHE_HOME"] = root;
      const store = new FileCacheStore();
      await store.save(KEY, "data");
      expect(store.dir).toBe(join(root, "rollgate"));
      await expect(store.load(KEY)).resolves.toBe("data");
    });

    it("refuses a directory that other users can write to, where anyone could plant flags", async () => {
      process.env["XDG_CACHE_HOME"] = root;
      const dir = join(root, "rollgate");
      await mkdir(dir);
      await writeFile(join(dir, `${KEY}.json`), "planted");
      // chmod after mkdir: mkdir's mode is filtered by the umask.
      await chmod(dir, 0o777);
      const store = new FileCacheStore();
      await expect(store.load(KEY)).rejects.toThrow(/Refusing to use the flag cache directory/);
      await expect(store.save(KEY, "data")).rejects.toThrow(/Refusing to use the flag cache directory/);
      expect(await readFile(join(dir, `${KEY}.json`), "utf8")).toBe("planted");
    });
  });
});
