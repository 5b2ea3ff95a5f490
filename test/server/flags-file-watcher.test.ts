import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchFlagsFile, type FlagsFileWatch } from "../../src/server/flags-file-watcher";

let directory: string;
let watch: FlagsFileWatch | undefined;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "rollgate-watch-"));
});

afterEach(async () => {
  watch?.close();
  watch = undefined;
  await rm(directory, { recursive: true, force: true });
});

/** Resolves on the next onChange call. */
function nextChange(): { readonly onChange: () => void; readonly changed: Promise<number> } {
  let calls = 0;
  let resolve: (calls: number) => void = () => {};
  const changed = new Promise<number>((r) => (resolve = r));
  return {
    onChange: () => {
      calls += 1;
      resolve(calls);
    },
    changed,
  };
}

describe("watchFlagsFile", () => {
  it("reports a burst of writes once, after the debounce", async () => {
    const path = join(directory, "flags.json");
    await writeFile(path, "{}");
    const calls: number[] = [];
    const { onChange, changed } = nextChange();
    watch = watchFlagsFile(path, () => {
      calls.push(Date.now());
      onChange();
    }, () => {}, 80);
    await writeFile(path, '{"flags":[]}');
    await writeFile(path, '{"flags": []}');
    await writeFile(path, '{"flags":  []}');
    await changed;
    expect(calls).toHaveLength(1);
  });

  it("follows a file replaced by rename, as editors save", async () => {
    const path = join(directory, "flags.json");
    await writeFile(path, "{}");
    const { onChange, changed } = nextChange();
    watch = watchFlagsFile(path, onChange, () => {}, 20);
    const temporary = join(directory, ".flags.json.tmp");
    await writeFile(temporary, '{"flags":[]}');
    await rename(temporary, path);
    await expect(changed).resolves.toBe(1);
  });

  it("ignores other files in the directory", async () => {
    const path = join(directory, "flags.json");
    await writeFile(path, "{}");
    const seen: string[] = [];
    const { onChange, changed } = nextChange();
    watch = watchFlagsFile(path, () => {
      seen.push("flags");
      onChange();
    }, () => {}, 20);
    await writeFile(join(directory, "other.json"), "{}");
    await writeFile(path, '{"flags":[]}');
    await changed;
    expect(seen).toEqual(["flags"]);
  });
});
