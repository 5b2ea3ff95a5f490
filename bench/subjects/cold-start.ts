import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchKey } from "../bench-flags";
import { median } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 1_000;
const root = fileURLToPath(new URL("../../", import.meta.url));
const script = (name: string) => fileURLToPath(new URL(`../cold/${name}.mjs`, import.meta.url));

interface Start {
  wallMs: number;
  importMs: number;
  maxRssKiB: number;
  /** The steps the script reports (ms; rollgate and the bare undici script): Node's boot, init, read + close. */
  startMs: number;
  initMs: number;
  closeMs: number;
  /** From the script's last statement to the process's exit, as the parent sees it. */
  exitMs: number;
  /** When the flag was read, ms since the spawn (the child's clock origin and `performance.now()`, against the parent's). */
  readyMs: number;
}

/** One fresh process: wall time from spawn to exit, and the steps and peak RSS it reports. */
function coldStart(name: string, args: string[]): Start {
  const spawnedAt = performance.timeOrigin + performance.now();
  const start = performance.now();
  const result = spawnSync(process.execPath, [script(name), ...args], { encoding: "utf8", cwd: root });
  const wallMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`cold start ${name} failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { origin: number; importMs: number; maxRssKiB: number; value?: unknown; startMs?: number; initMs?: number; closeMs?: number; done: number; readyMs?: number };
  if ("value" in report && report.value !== true) throw new Error(`cold start ${name} read ${String(report.value)}`);
  const { origin, importMs, maxRssKiB, startMs = 0, initMs = 0, closeMs = 0, done, readyMs = done } = report;
  // Both clocks are epoch-based (timeOrigin + now()), so the read is placed from the spawn itself,
  // fork and exec included, as a caller waiting for the process sees it.
  return { wallMs, importMs, maxRssKiB, startMs, initMs, closeMs, exitMs: wallMs - done, readyMs: origin + readyMs - spawnedAt };
}

/** Each comparison SDK's offline data: the same 1,000 keys, the one read flag on. */
function writeOfflineData(dir: string): void {
  const keys = Array.from({ length: FLAGS }, (_, i) => benchKey(i));
  writeFileSync(join(dir, "launchdarkly.json"), JSON.stringify({ flagValues: Object.fromEntries(keys.map((k) => [k, true])) }));
  writeFileSync(
    join(dir, "unleash.json"),
    JSON.stringify({ version: 1, features: keys.map((name) => ({ name, enabled: true, project: "default", strategies: [{ name: "default", parameters: {}, constraints: [] }] })) }),
  );
  writeFileSync(join(dir, "openfeature.json"), JSON.stringify(Object.fromEntries(keys.map((k) => [k, { variants: { on: true, off: false }, defaultVariant: "on", disabled: false }]))));
}

const SDKS = ["bare", "rollgate", "bare-undici", "launchdarkly", "unleash", "openfeature"] as const;
/** The steps each script reports, as printed. */
const STEPS: Record<string, [keyof Start, string][]> = {
  bare: [["startMs", "Node boot (spawn → script runs)"], ["exitMs", "last statement → exit"]],
  "bare-undici": [["startMs", "Node boot (spawn → script runs)"], ["importMs", "import undici"], ["initMs", "request + parse"], ["exitMs", "last statement → exit"]],
  rollgate: [["startMs", "Node boot (spawn → script runs)"], ["importMs", "import"], ["initMs", "new + init()"], ["closeMs", "read + close()"], ["exitMs", "last statement → exit"]],
};
const MODULES = ["undici", "rxjs", "zod/mini", "eventsource", "rxjs-for-await"] as const;

/**
 * Cold start in fresh processes against a local server in another process (1,000 flags):
 * import, init, one read, exit. rollgate runs from its build (dist/, rebuilt once by the
 * runner), against a bare `http.get` + `JSON.parse` script; LaunchDarkly (file data),
 * unleash-client (bootstrap file, metrics off) and OpenFeature (InMemoryProvider) for
 * comparison. Then the import of each dependency alone, in its own fresh process. The runner
 * builds dist/ before any subject runs.
 */
const subject: BenchSubject = {
  name: "cold-start",
  async run() {
    const server = await startServerProcess(FLAGS);
    const dataDir = mkdtempSync(join(tmpdir(), "rollgate-bench-cold-"));
    writeOfflineData(dataDir);
    const args = [server.url, server.apiKey, join(root, "dist/index.js"), dataDir];
    // Five fresh processes of each per run (the median of five, not the mean of two, which is what
    // two gave): with two, the spawn → read ratio moved between 1.44x and 1.58x from one full bench
    // to the next. About 3.5 s per sample.
    const samples = 5;
    const starts = new Map<string, Start[]>();
    const record = (name: string, start: Start) => starts.set(name, [...(starts.get(name) ?? []), start]);
    coldStart("rollgate", args); // warm the OS file cache
    for (let i = 0; i < samples; i++) {
      for (const sdk of SDKS) record(sdk, coldStart(sdk, args));
      for (const module of MODULES) record(module, coldStart("import-one", [...args, module]));
    }
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    const m = (name: string, field: keyof Start) => median(starts.get(name)!.map((s) => s[field]));
    const rows: BenchRow[] = [];
    for (const sdk of SDKS.slice(1)) {
      const bareLimit = { label: "http.get + JSON.parse script", value: m("bare", "wallMs") };
      rows.push({ id: `cold-${sdk}`, label: `cold start, ${sdk} (spawn → exit)`, unit: "ms", candidate: m(sdk, "wallMs"), limit: bareLimit });
    }
    // What a serverless function or a CLI waits for before it can serve: spawn → the flag read.
    // The target: the exit also waits for V8 to finish compiling undici's WebAssembly parser in the
    // background, which no client of undici can avoid (the row below bounds that part).
    for (const sdk of SDKS.slice(1)) {
      const bareReady = { label: "http.get + JSON.parse script", value: m("bare", "readyMs") };
      rows.push({ id: `ready-${sdk}`, label: `spawn → flag read, ${sdk}`, unit: "ms", candidate: m(sdk, "readyMs"), limit: bareReady, ...(sdk === "rollgate" ? { target: 1.5 } : {}) });
    }
    // Spawn → exit against the floor of any client built on undici (import undici, one request, exit).
    const undiciFloor = { label: "undici request + JSON.parse script", value: m("bare-undici", "wallMs") };
    rows.push({ id: "cold-rollgate-vs-undici", label: "cold start, rollgate vs the undici floor", unit: "ms", candidate: m("rollgate", "wallMs"), limit: undiciFloor, target: 1 });
    // Where the time goes, step by step (medians of each step; they need not add up to the median total).
    for (const [sdk, steps] of Object.entries(STEPS)) {
      for (const [field, step] of steps) rows.push({ id: `cold-step-${sdk}-${field}`, label: `cold start step, ${sdk}: ${step}`, unit: "ms", candidate: m(sdk, field) });
    }
    for (const sdk of SDKS.slice(1)) {
      if (sdk === "bare-undici") continue;
      const ldImport = { label: "LaunchDarkly's import", value: m("launchdarkly", "importMs") };
      if (sdk !== "launchdarkly") rows.push({ id: `import-${sdk}`, label: `import, ${sdk}`, unit: "ms", candidate: m(sdk, "importMs"), limit: ldImport, ...(sdk === "rollgate" ? { target: 1 } : {}) });
      else rows.push({ id: "import-launchdarkly", label: "import, launchdarkly", unit: "ms", candidate: m(sdk, "importMs") });
    }
    for (const sdk of SDKS.slice(1)) {
      if (sdk === "bare-undici") continue;
      rows.push({ id: `rss-${sdk}`, label: `peak RSS, ${sdk}`, unit: "MiB", candidate: m(sdk, "maxRssKiB") / 1024, limit: { label: "http.get + JSON.parse script", value: m("bare", "maxRssKiB") / 1024 } });
    }
    for (const module of MODULES) rows.push({ id: `import-dep-${module}`, label: `import of ${module} alone (fresh process)`, unit: "ms", candidate: m(module, "importMs") });
    return rows;
  },
};

export default subject;
