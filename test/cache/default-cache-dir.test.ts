import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultCacheDir, nodeCacheDirEnvironment, type CacheDirEnvironment } from "../../src/cache/default-cache-dir";

function environment(overrides: Partial<CacheDirEnvironment> & { writable?: readonly string[] }): CacheDirEnvironment {
  const writable = overrides.writable ?? [];
  return {
    env: {},
    homedir: () => "/home/ada",
    tmpdir: () => "/tmp",
    uid: () => 1000,
    // Writable means: the path can be created below the root given for it.
    canCreateWithin: (root, path) => writable.includes(`${root} ${path}`),
    ...overrides,
  };
}

describe("defaultCacheDir", () => {
  it.each<[string, Partial<CacheDirEnvironment> & { writable?: readonly string[] }, string]>([
    ["uses $XDG_CACHE_HOME/rollgate when it is usable", { env: { XDG_CACHE_HOME: "/xdg" }, writable: ["/ /xdg/rollgate", "/home/ada /home/ada/.cache/rollgate"] }, "/xdg/rollgate"],
    ["ignores a relative XDG_CACHE_HOME, as the XDG spec says", { env: { XDG_CACHE_HOME: "cache" }, writable: [" cache/rollgate", "/home/ada /home/ada/.cache/rollgate"] }, "/home/ada/.cache/rollgate"],
    ["falls back to ~/.cache/rollgate when XDG_CACHE_HOME is unusable", { env: { XDG_CACHE_HOME: "/ro" }, writable: ["/home/ada /home/ada/.cache/rollgate"] }, "/home/ada/.cache/rollgate"],
    ["uses ~/.cache/rollgate without XDG_CACHE_HOME", { writable: ["/home/ada /home/ada/.cache/rollgate"] }, "/home/ada/.cache/rollgate"],
    ["falls back to the temp dir when the home is missing or not writable", { writable: ["/ /home/ada/.cache/rollgate"] }, "/tmp/rollgate-1000"],
    ["falls back to the temp dir when there is no home", { homedir: () => "", writable: [" .cache/rollgate", "/ /.cache/rollgate"] }, "/tmp/rollgate-1000"],
    ["falls back to the temp dir when looking up the home throws", { homedir: () => { throw new Error("no home"); } }, "/tmp/rollgate-1000"],
    ["falls back to the temp dir when the home is relative", { homedir: () => "home", writable: ["home home/.cache/rollgate"] }, "/tmp/rollgate-1000"],
    ["leaves out the uid suffix on platforms without uids", { uid: () => undefined }, "/tmp/rollgate"],
  ])("%s", (_what, overrides, expected) => {
    expect(defaultCacheDir(environment(overrides))).toBe(expected);
  });

  it("falls back to the temp dir in a real process whose HOME does not exist", () => {
    // os.homedir() reads HOME, so a child with a missing HOME and no XDG_CACHE_HOME plays a
    // container without a home directory.
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: "/nonexistent/rollgate-test-home" };
    delete env["XDG_CACHE_HOME"];
    const script = 'import { FileCacheStore } from "./src/cache/file-cache-store"; process.stdout.write(new FileCacheStore().dir);';
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: join(__dirname, "../.."),
      env,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    const uid = process.getuid?.();
    expect(result.stdout).toBe(join(tmpdir(), uid === undefined ? "rollgate" : `rollgate-${uid}`));
  });

  it("on the real file system, sees where a directory can and cannot be created", async () => {
    const root = await mkdtemp(join(tmpdir(), "rollgate-cache-dir-"));
    try {
      const file = join(root, "file");
      await writeFile(file, "");
      const { canCreateWithin } = nodeCacheDirEnvironment;
      expect(canCreateWithin(root, root)).toBe(true);
      expect(canCreateWithin(root, join(root, "not", "yet", "there"))).toBe(true);
      expect(canCreateWithin(file, file)).toBe(false);
      expect(canCreateWithin(root, join(file, "below-a-file"))).toBe(false);
      // The root itself is never created: a missing root means "no".
      expect(canCreateWithin(join(root, "missing"), join(root, "missing", "rollgate"))).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
