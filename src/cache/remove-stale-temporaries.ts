import { lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/** A temporary file older than this is left over by a writer that died (SIGKILL, power loss). */
export const STALE_TEMPORARY_MS = 60_000;

/** Our own naming only (see FileCacheStore.save): `.<key>.<pid>.<12 hex>.tmp`. */
const TEMPORARY_NAME = /^\.[A-Za-z0-9_-]{1,128}\.\d{1,10}\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temporary files of FileCacheStore's naming in `dir` that are older than
 * {@link STALE_TEMPORARY_MS}: a writer killed between creating one and renaming it leaves it
 * behind forever otherwise (40 SIGKILLs left 22 files, 4.4 MiB: issue 13 item 16). A save takes
 * milliseconds, so a minute-old one has no live writer; the age alone decides, because a pid may
 * belong to another pid namespace sharing the directory. Best effort: never throws.
 *
 * @example
 * await removeStaleTemporaries(dir);
 */
export async function removeStaleTemporaries(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  // File times are wall-clock, so they are compared with the wall clock (not the scheduler's,
  // which may be virtual).
  const now = Date.now();
  await Promise.all(
    names
      .filter((name) => TEMPORARY_NAME.test(name))
      .map(async (name) => {
        const path = join(dir, name);
        try {
          const status = await lstat(path);
          if (status.isFile() && now - status.mtimeMs > STALE_TEMPORARY_MS) await rm(path, { force: true });
        } catch {
          // Gone already (another process cleaned it, or its writer renamed it): nothing to do.
        }
      }),
  );
}
