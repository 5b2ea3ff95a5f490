import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileCacheStore } from "../../src/cache/file-cache-store";
import { CacheError } from "../../src/errors";

/**
 * Issue 13 items 6, 8 and 16: the file store's hostile-filesystem cases. Another local user may
 * plant a symbolic link at a shared default directory; something may sit at an entry's path that
 * is not a file (a FIFO blocked the process from ever exiting); a writer killed mid-write leaves
 * temporary files behind.
 */

const KEY = "flags-0123456789abcdef0123456789abcdef";
const ENTRY = `${KEY}.json`;

let root: string;
const savedXdg = process.env["XDG_CACHE_HOME"];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rollgate-file-cache-hardening-"));
});

afterEach(async () => {
  if (savedXdg === undefined) delete process.env["XDG_CACHE_HOME"];
  else process.env["XDG_CACHE_HOME"] = savedXdg;
  await rm(root, { recursive: true, force: true });
});

/** Settles within `ms`, or fails the test (instead of hanging it). */
function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe("a default directory that is a symbolic link (item 6)", () => {
  it("is refused even when it points to a directory this user owns, closed to others", async () => {
    // What another user could plant at a predictable /tmp/rollgate-<uid>, re-pointing it at will.
    const target = join(root, "elsewhere");
    await mkdir(target, { mode: 0o700 });
    await writeFile(join(target, ENTRY), "planted");
    process.env["XDG_CACHE_HOME"] = root;
    await symlink(target, join(root, "rollgate"));
    const store = new FileCacheStore();
    await expect(within(store.load(KEY))).rejects.toThrow(/Refusing to use the flag cache directory.*symbolic link/);
    await expect(within(store.save(KEY, "data"))).rejects.toBeInstanceOf(CacheError);
    expect(await readFile(join(target, ENTRY), "utf8")).toBe("planted");
  });

  it("still works as a real directory this user owns, mode 0700", async () => {
    process.env["XDG_CACHE_HOME"] = root;
    const store = new FileCacheStore();
    await store.save(KEY, "data");
    await expect(store.load(KEY)).resolves.toBe("data");
    expect(await readdir(join(root, "rollgate"))).toEqual([ENTRY]);
  });
});

describe("an entry path that is not a regular file (item 8)", () => {
  it("refuses a FIFO at once instead of blocking on it", async () => {
    execFileSync("mkfifo", [join(root, ENTRY)]);
    const store = new FileCacheStore({ dir: root });
    await expect(within(store.load(KEY))).rejects.toThrow(/not a regular file/);
  });

  it("refuses a directory and a symbolic link at the entry's path", async () => {
    const store = new FileCacheStore({ dir: root });
    await mkdir(join(root, ENTRY));
    await expect(within(store.load(KEY))).rejects.toBeInstanceOf(CacheError);
    await rm(join(root, ENTRY), { recursive: true });
    await writeFile(join(root, "real.json"), "planted");
    await symlink(join(root, "real.json"), join(root, ENTRY));
    await expect(within(store.load(KEY))).rejects.toThrow(/not a regular file|symbolic link/);
  });

  it("a save replaces whatever was at the entry's path", async () => {
    execFileSync("mkfifo", [join(root, ENTRY)]);
    const store = new FileCacheStore({ dir: root });
    await within(store.save(KEY, "data"));
    await expect(within(store.load(KEY))).resolves.toBe("data");
  });
});

describe("temporary files left by a writer killed mid-write (item 16)", () => {
  const OLD = new Date(Date.now() - 5 * 60_000);

  async function plant(name: string, old: boolean): Promise<void> {
    await writeFile(join(root, name), "half-written");
    if (old) await utimes(join(root, name), OLD, OLD);
  }

  it.each(["save", "load"] as const)("are removed by the next %s when older than a minute; fresh ones and other files are kept", async (operation) => {
    const stale = [`.${KEY}.999999.0123456789ab.tmp`, `.flags-other.${process.pid}.abcdefabcdef.tmp`];
    const kept = [`.${KEY}.${process.pid}.0123456789ab.tmp`, ".notes.tmp", "notes.txt", `.${KEY}.tmp`];
    for (const name of stale) await plant(name, true);
    await plant(kept[0]!, false);
    for (const name of kept.slice(1)) await plant(name, true);
    const store = new FileCacheStore({ dir: root });
    if (operation === "save") await store.save(KEY, "data");
    else await store.load(KEY);
    const left = await readdir(root);
    for (const name of stale) expect(left).not.toContain(name);
    for (const name of kept) expect(left).toContain(name);
  });
});
