import { watch, type FSWatcher } from "node:fs";
import { basename, dirname, resolve } from "node:path";

/** A running watch; `close()` stops it and cancels a pending reload. */
export interface FlagsFileWatch {
  close(): void;
}

/**
 * Calls `onChange` once a burst of changes to `path` has settled for `debounceMs`. It watches
 * the directory, not the file: editors often save by writing a new file and renaming it over
 * the old one, which ends a watch on the old file's inode. Timers and the watcher are unref'd.
 *
 * @param onError called if the watcher itself fails (the directory disappeared, for instance).
 */
export function watchFlagsFile(path: string, onChange: () => void, onError: (error: Error) => void, debounceMs = 50): FlagsFileWatch {
  const absolute = resolve(path);
  const name = basename(absolute);
  let pending: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(dirname(absolute), { persistent: false }, (_event, changed) => {
    // Some platforms do not report the file name; then any change in the directory counts.
    if (changed !== null && changed !== name) return;
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = undefined;
      onChange();
    }, debounceMs);
    pending.unref();
  });
  watcher.on("error", onError);
  return {
    close() {
      if (pending) clearTimeout(pending);
      pending = undefined;
      watcher.close();
    },
  };
}
