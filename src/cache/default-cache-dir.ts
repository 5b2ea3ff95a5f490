import { accessSync, constants, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, isAbsolute, join, parse } from "node:path";

/** What {@link defaultCacheDir} looks at; injectable so that tests can play any machine. */
export interface CacheDirEnvironment {
  /** Environment variables; only `XDG_CACHE_HOME` is read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory; may throw or return "" when there is none. */
  homedir(): string;
  /** The system temporary directory. */
  tmpdir(): string;
  /** The numeric user id, when the platform has one (POSIX). */
  uid(): number | undefined;
  /**
   * Whether this process could create (or write in) the directory `path`, creating missing
   * directories up to, but not including, `root`, which must exist.
   */
  canCreateWithin(root: string, path: string): boolean;
}

/** The real machine: `process.env`, `os.homedir()`, `os.tmpdir()` and the file system. */
export const nodeCacheDirEnvironment: CacheDirEnvironment = Object.freeze({
  env: process.env,
  homedir,
  tmpdir,
  uid: () => process.getuid?.(),
  canCreateWithin,
});

/**
 * The directory the file cache uses when no `dir` is given, by the XDG base directory spec:
 * `$XDG_CACHE_HOME/rollgate` (only if absolute, as the spec requires), else
 * `~/.cache/rollgate`, and when neither is usable (no home or one that does not exist, as in
 * some containers and service accounts, or a read-only one), `<os.tmpdir()>/rollgate-<uid>`. The temporary directory is
 * shared by every user of the machine, hence the uid suffix (one user's 0700 directory would
 * lock the others out); FileCacheStore also refuses to use a default directory that another
 * user owns or can write to, so nobody can plant flags for us there.
 *
 * Synchronous: it checks a few paths once, when a FileCacheStore is first used.
 *
 * @example
 * defaultCacheDir(); // "/home/ada/.cache/rollgate"
 */
export function defaultCacheDir(environment: CacheDirEnvironment = nodeCacheDirEnvironment): string {
  // The XDG spec lets us create $XDG_CACHE_HOME; a home directory, though, must already exist
  // (a HOME pointing nowhere is "no home", not something to create).
  const xdgCacheHome = environment.env["XDG_CACHE_HOME"];
  if (xdgCacheHome !== undefined && isAbsolute(xdgCacheHome)) {
    const dir = join(xdgCacheHome, "rollgate");
    if (environment.canCreateWithin(parse(xdgCacheHome).root, dir)) return dir;
  }
  const home = homeOrUndefined(environment);
  if (home !== undefined) {
    const dir = join(home, ".cache", "rollgate");
    if (environment.canCreateWithin(home, dir)) return dir;
  }
  const uid = environment.uid();
  return join(environment.tmpdir(), uid === undefined ? "rollgate" : `rollgate-${uid}`);
}

function homeOrUndefined(environment: CacheDirEnvironment): string | undefined {
  try {
    const home = environment.homedir();
    return home !== "" && isAbsolute(home) ? home : undefined;
  } catch {
    // os.homedir() throws when neither HOME nor the password database knows a home.
    return undefined;
  }
}

/** True when the nearest existing ancestor of `path`, up to `root` included, is a writable directory. */
function canCreateWithin(root: string, path: string): boolean {
  for (let current = path; ; current = dirname(current)) {
    try {
      if (!statSync(current).isDirectory()) return false;
      accessSync(current, constants.W_OK | constants.X_OK);
      return true;
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      if (!missing || current === root || dirname(current) === current) return false;
    }
  }
}
