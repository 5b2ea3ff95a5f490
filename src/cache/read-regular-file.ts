import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { CacheError } from "../errors";

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever, holding a
// libuv thread so that the process could never exit, even after close() and process.exit(0)
// (issue 13 item 8). It changes nothing for a regular file. O_NOFOLLOW: an entry is a file we
// wrote, never a link. Both absent on Windows.
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Reads `path` as UTF-8 only if what was opened is a regular file (checked with `fstat` on the
 * handle, so nothing can be swapped in between): a FIFO, a device, a socket, a directory or a
 * symbolic link is refused with a `CacheError`. A missing file rejects with the `ENOENT` error.
 *
 * @example
 * const text = await readRegularFile(join(dir, `${key}.json`));
 */
export async function readRegularFile(path: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw notRegular(path, "a symbolic link");
    throw error;
  }
  try {
    const status = await handle.stat();
    if (!status.isFile()) throw notRegular(path, status.isFIFO() ? "a FIFO" : status.isDirectory() ? "a directory" : "a device or socket");
    return await handle.readFile("utf8");
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function notRegular(path: string, what: string): CacheError {
  return new CacheError(`Refusing to read the flag cache file ${path}: it is ${what}, not a regular file. Remove it; the next save replaces it.`);
}
