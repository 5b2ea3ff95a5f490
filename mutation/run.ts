/**
 * `npm run mutation [-- --mutate <glob>[,<glob>]] [--concurrency <n>] [--incremental] [--summary-only]`
 *
 * Runs StrykerJS (stryker.config.mjs) once per file to mutate, giving jest only the test files
 * that drive that file (mutation/targets.ts; else test/<same path>.test.ts), then merges the
 * per-file scores into docs/mutation.md. Without --mutate: every core file of targets.ts.
 * HTML reports land in reports/mutation/<file>.html.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Stryker } from "@stryker-mutator/core";
import type { MutantResult, PartialStrykerOptions } from "@stryker-mutator/api/core";
import { EQUIVALENT_MUTANTS } from "./equivalents";
import { CORE_TARGETS } from "./targets";
import { type FileScore, score, writeSummary } from "./summary";

const SUMMARY = "docs/mutation.md";
/** The TypeScript checker's program for one run, written before it (git ignores it). */
const TARGET_TSCONFIG = "mutation/tsconfig.target.json";

interface Arguments {
  readonly patterns: readonly string[];
  readonly concurrency: number;
  readonly incremental: boolean;
  /** Rewrite docs/mutation.md from the last run's reports (after editing mutation/equivalents.ts). */
  readonly summaryOnly: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const patterns: string[] = [];
  let concurrency = 1;
  let incremental = false;
  let summaryOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--mutate" || arg === "-m") patterns.push(...(argv[++i] ?? "").split(","));
    else if (arg.startsWith("--mutate=")) patterns.push(...arg.slice("--mutate=".length).split(","));
    else if (arg === "--concurrency" || arg === "-c") concurrency = Number(argv[++i]);
    else if (arg === "--incremental") incremental = true;
    else if (arg === "--summary-only") summaryOnly = true;
    // An unquoted glob the shell expanded: its files arrive as extra arguments.
    else if (!arg.startsWith("-")) patterns.push(arg);
    else throw new Error(`Unknown option ${arg}: use --mutate <glob>[,<glob>], --concurrency <n>, --incremental, --summary-only.`);
  }
  if (!(concurrency >= 1)) throw new Error("--concurrency needs a whole number of at least 1.");
  return { patterns: patterns.filter((p) => p !== ""), concurrency, incremental, summaryOnly };
}

/** `**` spans folders, `*` and `?` stay within one; everything else is literal. */
function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? "";
    if (glob.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function filesToMutate(patterns: readonly string[]): string[] {
  if (patterns.length === 0) return Object.keys(CORE_TARGETS);
  const sources = readdirSync("src", { recursive: true, encoding: "utf8" })
    .map((file) => `src/${file.split("\\").join("/")}`)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.endsWith("/index.ts"));
  const regexps = patterns.map((pattern) => globToRegExp(pattern.replace(/^\.\//, "")));
  const files = sources.filter((file) => regexps.some((regexp) => regexp.test(file))).sort();
  if (files.length === 0) throw new Error(`No file under src/ matches ${patterns.join(", ")}.`);
  return files;
}

function testsFor(file: string): readonly string[] | undefined {
  const mapped = CORE_TARGETS[file];
  if (mapped !== undefined) return mapped;
  const conventional = file.replace(/^src\//, "test/").replace(/\.ts$/, ".test.ts");
  return existsSync(conventional) ? [conventional] : undefined;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function oneLine(text: string): string {
  const flat = collapse(text);
  return flat.length > 90 ? `${flat.slice(0, 87)}...` : flat;
}

/** The reason a surviving mutant is equivalent, from mutation/equivalents.ts, or undefined. */
function equivalenceOf(file: string, mutant: MutantResult, sourceLines: readonly string[]): string | undefined {
  const { start, end } = mutant.location;
  const line = collapse(sourceLines[start.line - 1] ?? "");
  const replacement = collapse(mutant.replacement);
  // Locations count lines and columns from 1.
  const original = collapse(
    start.line === end.line
      ? (sourceLines[start.line - 1] ?? "").slice(start.column - 1, end.column - 1)
      : [sourceLines[start.line - 1]?.slice(start.column - 1), ...sourceLines.slice(start.line, end.line - 1), sourceLines[end.line - 1]?.slice(0, end.column - 1)].join("\n"),
  );
  return EQUIVALENT_MUTANTS.find(
    (e) =>
      e.file === file &&
      e.mutator === mutant.mutatorName &&
      e.replacement === replacement &&
      line.includes(e.line) &&
      (e.original === undefined || e.original === original),
  )?.reason;
}

function toFileScore(file: string, results: readonly MutantResult[]): FileScore {
  const sourceLines = readFileSync(file, "utf8").split("\n");
  const where = (m: MutantResult) => `${m.location.start.line}:${m.location.start.column} ${m.mutatorName}`;
  const survivors: string[] = [];
  const equivalents: string[] = [];
  let killed = 0;
  for (const m of results) {
    if (m.status === "Killed" || m.status === "Timeout") killed++;
    else if (m.status === "Ignored") equivalents.push(`${where(m)}: ${oneLine(m.statusReason ?? "")}`);
    else if (m.status === "Survived" || m.status === "NoCoverage") {
      const reason = equivalenceOf(file, m, sourceLines);
      if (reason !== undefined) equivalents.push(`${where(m)} \`${oneLine(m.replacement)}\`: ${reason}`);
      else survivors.push(`${where(m)}${m.status === "NoCoverage" ? " (no coverage)" : ""}: \`${oneLine(m.replacement)}\``);
    }
  }
  return { file, killed, survived: survivors.length, equivalent: equivalents.length, date: new Date().toISOString().slice(0, 10), survivors, equivalents };
}

function incrementalFileOf(file: string): string {
  return `reports/mutation/incremental/${file.replace(/^src\//, "").replace(/\.ts$/, "")}.json`;
}

/** The mutants of `file` as its last run left them (its incremental report), without running anything. */
function lastResults(file: string): MutantResult[] {
  const path = incrementalFileOf(file);
  if (!existsSync(path)) throw new Error(`No report of an earlier run of ${file} (${path}): run it first.`);
  const report = JSON.parse(readFileSync(path, "utf8")) as { files: Record<string, { mutants: MutantResult[] }> };
  return Object.entries(report.files).flatMap(([name, entry]) => (name.endsWith(file) ? entry.mutants : []));
}

async function mutate(file: string, tests: readonly string[], args: Arguments): Promise<FileScore> {
  const slug = file.replace(/^src\//, "").replace(/\.ts$/, "");
  // Only the mutated file (and what it imports): with all of src/, each mutant re-checked every
  // file that depends on it, and the checker, not the tests, took ~80 % of a run.
  writeFileSync(TARGET_TSCONFIG, `${JSON.stringify({ extends: "./tsconfig.json", include: [], files: [`../${file}`] }, null, 2)}\n`);
  const options: PartialStrykerOptions = {
    mutate: [file],
    tsconfigFile: TARGET_TSCONFIG,
    concurrency: args.concurrency,
    jest: {
      // Only these tests (findRelatedTests would add every test that reaches the file through the
      // client), and roots narrowed to their folders, so that jest crawls a few files, not 430.
      config: { roots: [...new Set(tests.map((test) => `<rootDir>/${dirname(test)}`))], testMatch: tests.map((test) => `<rootDir>/${test}`) },
      enableFindRelatedTests: false,
    },
    htmlReporter: { fileName: `reports/mutation/${slug}.html` },
    // Always written (--summary-only reads it); reused only with --incremental.
    incremental: true,
    force: !args.incremental,
    incrementalFile: incrementalFileOf(file),
  };
  const results = await new Stryker(options).runMutationTest();
  return toFileScore(file, results.filter((m) => m.fileName.endsWith(file)));
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const scores: FileScore[] = [];
  for (const file of filesToMutate(args.patterns)) {
    const tests = testsFor(file);
    if (tests === undefined) {
      process.stderr.write(`Skipping ${file}: no test/ file mirrors it; map it in mutation/targets.ts.\n`);
      continue;
    }
    if (args.summaryOnly && !existsSync(incrementalFileOf(file))) continue;
    if (!args.summaryOnly) process.stdout.write(`\n=== ${file} against ${tests.join(", ")}\n`);
    const row = args.summaryOnly ? toFileScore(file, lastResults(file)) : await mutate(file, tests, args);
    scores.push(row);
    writeSummary(SUMMARY, [row]);
  }
  process.stdout.write("\nfile | killed | survived | equivalent | score\n");
  for (const row of scores) {
    process.stdout.write(`${row.file} | ${row.killed} | ${row.survived} | ${row.equivalent} | ${score(row).toFixed(1)} %\n`);
  }
  process.stdout.write(`Written to ${SUMMARY}.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
