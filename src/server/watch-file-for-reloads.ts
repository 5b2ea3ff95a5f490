import type { Logger } from "../logger/logger";
import type { FlagStore } from "./flag-store";
import type { FlagsFile } from "./flags-file";
import { FlagsFileError } from "./flags-file-error";
import { watchFlagsFile, type FlagsFileWatch } from "./flags-file-watcher";
import { readFlagsFile } from "./read-flags-file";

/**
 * Watches `path` and replaces the store's flags with the file's on every settled change.
 * Reloads never overlap; a file that cannot be read or is invalid keeps the old flags and logs
 * an error (with every issue in its context), and the watch carries on.
 *
 * @param skip tells a file the server wrote itself (`--write`), whose reload would apply
 *   nothing new, or would briefly bring back older flags while a newer write is on its way.
 */
export function watchFileForReloads(
  path: string,
  maxBytes: number,
  store: FlagStore,
  logger: Logger,
  skip: (file: FlagsFile) => boolean = () => false,
): FlagsFileWatch {
  let running = false;
  let again = false;
  let closed = false;
  const reload = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        try {
          const file = await readFlagsFile(path, { maxBytes });
          if (closed) return;
          if (skip(file)) continue;
          const changed = store.replace(file);
          logger.info(`Reloaded ${path}: ${changed.length} flag(s) changed.`, { changed: changed.map((change) => change.key) });
        } catch (error) {
          const issues = error instanceof FlagsFileError ? { issues: error.issues } : undefined;
          logger.error(`Kept the previous flags: ${error instanceof Error ? error.message : String(error)}`, issues);
        }
      } while (again && !closed);
    } finally {
      running = false;
    }
  };
  const watch = watchFlagsFile(
    path,
    () => void reload(),
    (error) => logger.error(`Stopped watching ${path}: ${error.message}`),
  );
  return {
    close() {
      closed = true;
      watch.close();
    },
  };
}
