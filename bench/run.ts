/**
 * `npm run bench [-- --quick] [-- --runs N] [-- --only a,b]`: every subject of bench/subjects/,
 * each run N times (default 5; 1 with --quick) in a fresh process. Prints, per row, the median
 * of the runs with their spread (min–max), the bare limit measured in the same process, and the
 * median ratio against its target; writes everything to bench/results/latest.json.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "./measure";
import type { BenchRow } from "./subject";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, runs: { type: "string" }, only: { type: "string" } },
});
const quick = values.quick ?? false;
const runs = values.runs === undefined ? (quick ? 1 : 5) : Number(values.runs);
const subjectsDir = fileURLToPath(new URL("./subjects/", import.meta.url));
const all = readdirSync(subjectsDir)
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.slice(0, -3))
  .sort();
const only = values.only?.split(",");
const names = only === undefined ? all : all.filter((name) => only.includes(name));

interface Spread {
  median: number;
  min: number;
  max: number;
}
interface AggregatedRow {
  id: string;
  subject: string;
  label: string;
  unit: BenchRow["unit"];
  candidate: Spread;
  limit?: { label: string } & Spread;
  ratio?: Spread;
  target?: number;
  runs: number;
}

const spread = (samples: number[]): Spread => ({ median: median(samples), min: Math.min(...samples), max: Math.max(...samples) });

const root = fileURLToPath(new URL("../", import.meta.url));
/**
 * Subjects import `rollgate` from its build, what users run: bench/tsconfig.json maps the package's
 * entries to dist/ for tsx. (From src/, tsx's keepNames wraps every named closure in a
 * `defineProperty` call as it is created, a cost on each request the build does not have.)
 */
const subjectEnv = { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL("./tsconfig.json", import.meta.url)) };

/** Builds dist/ once, before any subject runs. */
function build(): void {
  const result = spawnSync(process.execPath, [`${root}node_modules/tsup/dist/cli-default.js`], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
}

function runOnce(name: string): BenchRow[] {
  const args = ["--expose-gc", "--import", "tsx", fileURLToPath(new URL("./run-subject.ts", import.meta.url)), name];
  if (quick) args.push("--quick");
  const result = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20, env: subjectEnv });
  const line = result.stdout.split("\n").find((l) => l.startsWith("BENCH_ROWS "));
  if (result.status !== 0 || line === undefined) throw new Error(`subject ${name} failed (exit ${result.status}):\n${result.stdout}`);
  return JSON.parse(line.slice("BENCH_ROWS ".length)) as BenchRow[];
}

function format(value: number, unit: string): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const rows: AggregatedRow[] = [];
  process.stdout.write(`rollgate bench — node ${process.version}, ${cpus().length} cores, ${runs} run(s) per subject${quick ? ", quick" : ""}\n`);
  process.stdout.write(`each figure: median of the runs [min–max]; ratio = rollgate ÷ the bare limit of the same run\n\n`);
  build();
  for (const name of names) {
    const perRun: BenchRow[][] = [];
    for (let r = 0; r < runs; r++) perRun.push(runOnce(name));
    process.stdout.write(`${name}\n`);
    for (const first of perRun[0]!) {
      const samples = perRun.map((run) => run.find((row) => row.id === first.id)).filter((row): row is BenchRow => row !== undefined);
      const row: AggregatedRow = { id: first.id, subject: name, label: first.label, unit: first.unit, candidate: spread(samples.map((s) => s.candidate)), runs: samples.length };
      if (first.limit !== undefined) {
        row.limit = { label: first.limit.label, ...spread(samples.map((s) => s.limit!.value)) };
        row.ratio = spread(samples.map((s) => s.candidate / s.limit!.value));
      }
      if (first.target !== undefined) row.target = first.target;
      rows.push(row);
      printRow(row);
    }
    process.stdout.write("\n");
  }
  const seconds = (performance.now() - started) / 1000;
  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = quick ? "quick.json" : only === undefined ? "latest.json" : "partial.json";
  const results = { node: process.version, cores: cpus().length, date: new Date().toISOString(), runs, quick, seconds: Math.round(seconds), rows };
  writeFileSync(`${dir}${file}`, `${JSON.stringify(results, null, 2)}\n`);
  const over = rows.filter((r) => r.target !== undefined && r.ratio !== undefined && r.ratio.median > r.target);
  process.stdout.write(`${over.length} row(s) over target; ${seconds.toFixed(0)} s; wrote bench/results/${file}\n`);
}

function printRow(row: AggregatedRow): void {
  const { candidate, limit, ratio, target } = row;
  const value = `${format(candidate.median, row.unit)} [${format(candidate.min, "").trim()}–${format(candidate.max, "").trim()}]`;
  let line = `  ${row.label.padEnd(58)} ${value.padStart(28)}`;
  if (limit !== undefined && ratio !== undefined) {
    line += `  vs ${format(limit.median, row.unit).padStart(10)} ${limit.label.padEnd(34)} ${ratio.median.toFixed(2)}× [${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}]`;
    if (target !== undefined) line += ` target ≤ ${target}× ${ratio.median <= target ? "ok" : "OVER TARGET"}`;
  }
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
