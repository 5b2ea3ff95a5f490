import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Temporary directories for one test file, removed together (call `removeAll` in `afterEach`),
 * so that nothing a test writes reaches the real home directory or outlives the test.
 *
 * @example
 * const dirs = new TempDirs("rollgate-cache-");
 * afterEach(() => dirs.removeAll());
 * const dir = await dirs.make();
 */
export class TempDirs {
  readonly #made: string[] = [];

  constructor(private readonly prefix = "rollgate-test-") {}

  /** Creates a fresh, empty directory under the OS temp dir. */
  async make(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), this.prefix));
    this.#made.push(dir);
    return dir;
  }

  /** Removes every directory made so far, with its contents. */
  async removeAll(): Promise<void> {
    await Promise.all(this.#made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
