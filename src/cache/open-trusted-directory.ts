import { constants, existsSync } from "node:fs";
import { lstat, open, type FileHandle } from "node:fs/promises";
import { CacheError } from "../errors";

// Absent on Windows, where neither the flags nor the threat (a shared sticky /tmp) apply.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const DIRECTORY = constants.O_DIRECTORY ?? 0;

/**
 * On Linux, `/proc/self/fd/<fd>` names the very directory a handle holds, whatever happens to
 * its path afterwards: operations through it cannot be redirected by a rename or a symlink swap.
 */
const FD_PATHS = process.platform === "linux" && existsSync("/proc/self/fd");

/** A directory opened and verified: `path` reaches exactly what was verified. */
export interface TrustedDirectory {
  /** Where to put entry names: `/proc/self/fd/<fd>` on Linux, else the directory's path. */
  readonly path: string;
  /** The open handle, e.g. to fsync the directory after a rename. */
  readonly handle: FileHandle;
  close(): Promise<void>;
}

/**
 * Opens `dir` without following a symbolic link (`O_NOFOLLOW`) and verifies what was actually
 * opened (`fstat` on the handle): a directory, owned by this user, that neither group nor others
 * can write to. A check by path (`stat`) followed links and was re-resolved at every operation,
 * so another local user able to create `/tmp/rollgate-<uid>` first could point it, between the
 * check and the use, at a directory of theirs and plant flags (issue 13 item 6).
 *
 * Resolves `undefined` when `dir` does not exist. On platforms without uids (Windows) nothing
 * can be verified and the path is used as is.
 *
 * @throws CacheError naming the directory and what is wrong with it.
 * @example
 * const trusted = await openTrustedDirectory(dir);
 * try { await readFile(join(trusted.path, "entry.json")); } finally { await trusted?.close(); }
 */
export async function openTrustedDirectory(dir: string): Promise<TrustedDirectory | undefined> {
  const uid = process.getuid?.();
  let handle: FileHandle;
  try {
    handle = await open(dir, constants.O_RDONLY | DIRECTORY | NO_FOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    // Linux reports a symlink opened with O_NOFOLLOW | O_DIRECTORY as ENOTDIR, others as ELOOP.
    if (code === "ELOOP" || (code === "ENOTDIR" && (await isSymbolicLink(dir)))) throw refusal(dir, "it is a symbolic link");
    throw error;
  }
  try {
    const status = await handle.stat();
    if (!status.isDirectory()) throw refusal(dir, "it is not a directory");
    if (uid !== undefined && status.uid !== uid) throw refusal(dir, "another user owns it");
    if (uid !== undefined && (status.mode & 0o022) !== 0) throw refusal(dir, "others can write to it");
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  return { path: FD_PATHS ? `/proc/self/fd/${handle.fd}` : dir, handle, close: () => handle.close() };
}

async function isSymbolicLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

function refusal(dir: string, why: string): CacheError {
  return new CacheError(
    `Refusing to use the flag cache directory ${dir}: ${why}; it must be a real directory owned by this user and closed to others. ` +
      "Remove it or pass cache.dir.",
  );
}
