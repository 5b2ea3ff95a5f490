import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { parseCacheEntry } from "../../../src/cache/cache-entry";
import { cacheFileNames, onlyCacheFile, readCacheFile } from "../../support/cache-files";
import { TempDirs } from "../../support/temp-dirs";
import { clientFor, startTestServer } from "../../support/test-client";

// Clients in several processes may share one cache directory (and one entry, for the same
// user): atomic writes mean a reader never sees a half-written entry and the last write wins
// whole. Real processes and real files, so this waits on wall-clock time.

const REPO_ROOT = join(__dirname, "../../..");
const FIXTURE = join(__dirname, "fixtures/refresh-loop-client.ts");
const ITERATIONS = 120;

describe("clients sharing a cache directory", () => {
  const dirs = new TempDirs("rollgate-shared-");
  let server: RollgateServer;
  const children: ChildProcess[] = [];
  const clients: RollgateClient[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.all(children.splice(0).map(exited));
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
    await dirs.removeAll();
  });

  function exited(child: ChildProcess): Promise<number | null> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  /** Runs the fixture; resolves with its report once it exits successfully. */
  function runWriter(dir: string, writerId: string): Promise<{ saves: number }> {
    // Not node_modules/.bin/tsx: that CLI runs the script in a grandchild process.
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, server.url, server.apiKey, server.adminToken, dir, writerId, String(ITERATIONS)], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    return exited(child).then((code) => {
      if (code !== 0) throw new Error(`writer ${writerId} exited with ${String(code)}: ${stderr}`);
      return JSON.parse(stdout) as { saves: number };
    });
  }

  it("never leave a corrupt entry with two processes rewriting the same one, and every read meanwhile parses", async () => {
    const dir = await dirs.make();
    let running = true;
    const writers = Promise.all([runWriter(dir, "a"), runWriter(dir, "b")]).finally(() => (running = false));

    let reads = 0;
    const corrupt: string[] = [];
    while (running) {
      const names = await cacheFileNames(dir);
      for (const name of names) {
        const parsed = parseCacheEntry(await readFile(join(dir, name), "utf8"));
        reads++;
        if (!parsed.ok) corrupt.push(parsed.reason);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const reports = await writers;

    expect(corrupt).toEqual([]);
    // Each writer saved once after init and once per iteration, its own change each time.
    expect(reports).toEqual([{ saves: ITERATIONS + 1 }, { saves: ITERATIONS + 1 }]);
    expect(reads).toBeGreaterThan(0);
    const final = await readCacheFile(await onlyCacheFile(dir));
    if (!final.ok) throw new Error(final.reason);
    // The last write is one writer's whole view, which includes the other's flag too.
    const finals = [final.entry.flags.get("counter-a")?.value, final.entry.flags.get("counter-b")?.value];
    expect(finals).toContain(ITERATIONS);
    expect(finals.every((value) => typeof value === "number")).toBe(true);
    // No temporary file is left behind by either process.
    expect(await readdir(dir)).toHaveLength(1);
  });

  it("in one process, two clients writing the same entry alternately leave a whole entry at every read, the last write winning", async () => {
    const dir = await dirs.make();
    const user = { id: "shared-user" };
    const writers = [0, 1].map(() => clientFor(server, { cache: { dir }, user, refreshInterval: 0 }));
    clients.push(...writers);
    await Promise.all(writers.map((client) => client.init()));
    const deadline = performance.now() + 5_000;
    while ((await cacheFileNames(dir)).length === 0) {
      if (performance.now() > deadline) throw new Error("the first save never landed");
      await new Promise((resolve) => setTimeout(resolve, 2));
    }

    let reads = 0;
    for (let n = 1; n <= 60; n++) {
      const writer = writers[n % 2]!;
      server.setFlag({ key: "results-per-page", enabled: true, rolloutPercentage: 100, variations: { n }, defaultVariation: "n" });
      await writer.refresh();
      // Read until this write has landed (saves run in the background): every read must parse.
      for (let landed = false; !landed; reads++) {
        const parsed = await readCacheFile(await onlyCacheFile(dir));
        if (!parsed.ok) throw new Error(`read ${reads} after write ${n}: ${parsed.reason}`);
        landed = parsed.entry.flags.get("results-per-page")?.value === n;
        if (!landed) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    expect(reads).toBeGreaterThanOrEqual(60);
    await Promise.all(writers.map((client) => client.close()));
    const final = await readCacheFile(await onlyCacheFile(dir));
    expect(final.ok && final.entry.flags.get("results-per-page")?.value).toBe(60);
    expect(await cacheFileNames(dir)).toHaveLength(1);
  });
});
