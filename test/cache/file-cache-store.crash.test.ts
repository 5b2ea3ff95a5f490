import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCacheEntry } from "../../src/cache/cache-entry";

// Crash safety needs real processes, real files and real kills, so this file (alone in the
// cache tests) waits on wall-clock time: short random delays place the SIGKILL at arbitrary
// points of the write/fsync/rename sequence.

const REPO_ROOT = join(__dirname, "../..");
const FIXTURE = join(__dirname, "fixtures/rewrite-cache-loop.ts");
const KEY = "flags-0123456789abcdef0123456789abcdef";

let dirs: string[] = [];
let children: ChildProcess[] = [];

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rollgate-cache-crash-"));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  // A failed assertion must not leave writers running.
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(children.map(exited));
  children = [];
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

function startWriter(dir: string, writerId: string, iterations?: number): ChildProcess {
  const args = [FIXTURE, dir, KEY, writerId, ...(iterations === undefined ? [] : [String(iterations)])];
  // Not node_modules/.bin/tsx: that CLI runs the script in a grandchild process, which a
  // SIGKILL of the CLI would not reach. Node with tsx's loader is the writer itself.
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return child;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const end = buffered.indexOf("\n");
      if (end >= 0) resolve(buffered.slice(0, end));
    });
    child.once("exit", (code, signal) => reject(new Error(`writer exited (${code ?? signal}) before its first save`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads the entry and checks it is one whole version: valid, and as many flags as its etag says. */
async function expectWholeEntry(dir: string): Promise<void> {
  const parsed = parseCacheEntry(await readFile(join(dir, `${KEY}.json`), "utf8"));
  if (!parsed.ok) throw new Error(`corrupt cache entry: ${parsed.reason}`);
  const [, , flagCount] = (parsed.entry.etag ?? "").split(":");
  expect(parsed.entry.flags.size).toBe(Number(flagCount));
}

describe("FileCacheStore under crashes and concurrency", () => {
  it("leaves a whole entry every time its writer is killed with SIGKILL mid-loop", async () => {
    // Three lanes of ten kills each run side by side, to stay within a few seconds.
    const lanes = 3;
    const killsPerLane = 10;
    const runLane = async (lane: number): Promise<number> => {
      const dir = await freshDir();
      let checked = 0;
      for (let kill = 0; kill < killsPerLane; kill++) {
        const child = startWriter(dir, `lane${lane}-${kill}`);
        expect(await firstLine(child)).toBe("ready");
        await sleep(Math.random() * 25);
        child.kill("SIGKILL");
        await exited(child);
        await expectWholeEntry(dir);
        checked++;
      }
      return checked;
    };
    const checked = await Promise.all(Array.from({ length: lanes }, (_, lane) => runLane(lane)));
    expect(checked).toEqual(Array(lanes).fill(killsPerLane));
    // Ten writer processes per lane, one after the other, each starting Node and tsx: about 5 s
    // on a quiet machine, past the default 20 s on a busy one (a load of 12 on 2 cores).
  }, 90_000);

  it("never exposes a partial entry while two processes write the same key concurrently", async () => {
    const dir = await freshDir();
    const writers = [startWriter(dir, "a", 300), startWriter(dir, "b", 300)];
    await Promise.all(writers.map(firstLine));
    let reads = 0;
    while (writers.some((writer) => writer.exitCode === null)) {
      await expectWholeEntry(dir);
      reads++;
    }
    await Promise.all(writers.map(exited));
    expect(writers.map((writer) => writer.exitCode)).toEqual([0, 0]);
    await expectWholeEntry(dir);
    expect(reads).toBeGreaterThan(10);
    // Both finished cleanly, so no temporary file is left behind.
    expect(await readdir(dir)).toEqual([`${KEY}.json`]);
  });
});
