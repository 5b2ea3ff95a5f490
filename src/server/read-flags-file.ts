import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { parseFlagsFileText, type FlagsFile } from "./flags-file";
import { FlagsFileError } from "./flags-file-error";
import { DEFAULT_SERVER_OPTIONS } from "./server-options";

/** Options of `readFlagsFile`. */
export interface ReadFlagsFileOptions {
  /** Largest file accepted, in bytes. @default 33554432 (32 MiB, `DEFAULT_SERVER_OPTIONS.maxFlagsFileBytes`) */
  readonly maxBytes?: number;
}

function cannotRead(path: string, reason: string, cause?: unknown): FlagsFileError {
  return new FlagsFileError(`flags file ${path}`, [{ path: "", message: `cannot be read: ${reason}` }], {
    cause,
    message: `Cannot read the flags file ${path}: ${reason}. Check the path and its permissions.`,
  });
}

function kindOf(stats: Awaited<ReturnType<FileHandle["stat"]>>): string {
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isDirectory()) return "a directory";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a file";
}

/** Reads at most `limit + 1` bytes: enough to tell that a file grew past the limit after fstat. */
async function readUpTo(handle: FileHandle, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(limit + 1);
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/**
 * Reads and validates a flags file from disk. Only a regular file is read (a symlink to one is
 * followed): the file is opened without blocking and checked on the opened handle, so a FIFO
 * or device put in its place is refused at once instead of hanging the reader (and, with it,
 * the process's exit). A file above `maxBytes` is refused, and messages never quote its content.
 *
 * @example
 * const file = await readFlagsFile("examples/flags.json");
 */
export async function readFlagsFile(path: string, options: ReadFlagsFileOptions = {}): Promise<FlagsFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_SERVER_OPTIONS.maxFlagsFileBytes;
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : (error as Error).message;
    throw cannotRead(path, reason, error);
  }
  let bytes: Buffer;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw cannotRead(path, `it is not a regular file (${kindOf(stats)})`);
    if (stats.size > maxBytes) throw cannotRead(path, `it is larger than ${maxBytes} bytes (maxFlagsFileBytes)`);
    bytes = await readUpTo(handle, maxBytes);
    if (bytes.length > maxBytes) throw cannotRead(path, `it is larger than ${maxBytes} bytes (maxFlagsFileBytes)`);
  } catch (error) {
    if (error instanceof FlagsFileError) throw error;
    throw cannotRead(path, (error as Error).message, error);
  } finally {
    await handle.close();
  }
  return parseFlagsFileText(bytes.toString("utf8"), `flags file ${path}`);
}
