import { createHash, randomBytes } from "node:crypto";
import { chmod, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Logger } from "../logger/logger";
import type { FlagsFile } from "./flags-file";
import { addFlagsFileNotes, readFlagsFileNotes } from "./flags-file-notes";

/** How the flags a server serves relate to its flags file, as the page shows it. */
export interface FlagsFileStorage {
  /** The flags file given at start, if any. */
  readonly file?: string;
  /** Whether changes made through the admin API are written back to it. */
  readonly writes: boolean;
  /** Why the last write failed, until one succeeds. */
  readonly lastError?: string;
}

/** The text a flags file is written as: two-space JSON and a final newline, as people write it. */
export function formatFlagsFile(file: object): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A digest of the flags and segments of a file (not of its text, which carries notes too). */
function digest(file: FlagsFile): string {
  return createHash("sha256")
    .update(JSON.stringify([file.flags, file.segments ?? {}]))
    .digest("base64");
}

/**
 * Writes the flags back to the flags file after changes made through the admin API, atomically:
 * the text goes to a temporary file in the same directory, which is then renamed over the file,
 * so a reader (an editor, `--watch`, a crash) sees the old file or the new one, never half of
 * one. The file's `$schema` and descriptions, which the server does not keep, are carried over
 * from the file as it is on disk. Writes never overlap: changes made during a write are written once it ends, latest first
 * and only once. A symlink is followed (its target is replaced, the link stays), and the file
 * keeps its permissions. A failed write is logged and reported in `storage`; the flags stay
 * served from memory.
 *
 * @example
 * const writer = new FlagsFileWriter("flags.json", logger, () => {});
 * writer.save(store.toFile());
 * await writer.idle();
 */
export class FlagsFileWriter {
  private pending: FlagsFile | undefined;
  private running: Promise<void> | undefined;
  private lastError: string | undefined;
  /** Digests of the last few texts written. */
  private readonly written: string[] = [];

  /**
   * @param path the flags file.
   * @param maxBytes the largest file read for its notes (`maxFlagsFileBytes`).
   * @param onStorageChange called when `storage` changes (a write failed, or succeeded after a failure).
   */
  constructor(
    private readonly path: string,
    private readonly maxBytes: number,
    private readonly logger: Logger,
    private readonly onStorageChange: () => void,
  ) {}

  /** Where the flags live, for the page. */
  get storage(): FlagsFileStorage {
    return { file: this.path, writes: true, ...(this.lastError === undefined ? {} : { lastError: this.lastError }) };
  }

  /** Whether a write is queued or under way (the file is about to change again). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Whether `file` is what one of the last few writes put in the file: a reload by `--watch`
   * that reads it back has nothing new to apply (and may be older than the flags served now).
   */
  wrote(file: FlagsFile): boolean {
    return this.written.includes(digest(file));
  }

  /** Queues a write of `file` (replacing any write queued before it that has not started). */
  save(file: FlagsFile): void {
    this.pending = file;
    this.running ??= this.drain();
  }

  /** Resolves once every queued write has ended (successfully or not). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending) {
        const file = this.pending;
        this.pending = undefined;
        await this.write(file);
      }
    } finally {
      this.running = undefined;
    }
  }

  private async write(file: FlagsFile): Promise<void> {
    let temporary: string | undefined;
    try {
      // Renaming over a symlink would replace the link itself: write next to its target instead.
      const target = await realpath(this.path).catch(() => this.path);
      const stats = await stat(target).catch(() => undefined);
      const previous = stats?.isFile() && stats.size <= this.maxBytes ? await readFile(target, "utf8").catch(() => "") : "";
      const text = formatFlagsFile(addFlagsFileNotes(file, readFlagsFileNotes(previous)));
      temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
      this.remember(file);
      await writeFile(temporary, text, { flag: "wx", mode: 0o600 });
      if (stats) await chmod(temporary, stats.mode & 0o7777);
      await rename(temporary, target);
      temporary = undefined;
      if (this.lastError !== undefined) {
        this.lastError = undefined;
        this.onStorageChange();
      }
    } catch (error) {
      this.lastError = `Could not write ${this.path}: ${(error as Error).message}`;
      this.logger.error(`${this.lastError}. The change is served from memory only.`);
      this.onStorageChange();
    } finally {
      if (temporary !== undefined) await rm(temporary, { force: true }).catch(() => {});
    }
  }

  private remember(file: FlagsFile): void {
    this.written.push(digest(file));
    // Enough to recognise the reloads that writes in quick succession trigger, and no more.
    if (this.written.length > 4) this.written.shift();
  }
}
