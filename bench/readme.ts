/**
 * `npm run bench:readme`: writes the figures of bench/results/latest.json into README.md's
 * Performance section (between its `bench:begin` and `bench:end` markers), so that the README
 * quotes what the bench printed, digit for digit; and every `<!-- fig:… -->` figure elsewhere in the
 * README (see withFigures). `-- --check` only compares, and fails when the
 * README and the JSON disagree (a test runs it).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}
interface ResultRow {
  readonly id: string;
  readonly unit: string;
  readonly candidate: Spread;
  readonly limit?: { readonly label: string } & Spread;
  readonly ratio?: Spread;
  readonly target?: number;
}
interface Results {
  readonly node: string;
  readonly cores: number;
  readonly date: string;
  readonly runs: number;
  readonly seconds: number;
  readonly rows: readonly ResultRow[];
}

/** The main table: row id, what the README calls it, and how its target reads when not "≤ N×". */
const MAIN: readonly (readonly [id: string, label: string, target?: string])[] = [
  ["isEnabled-hit-no-telemetry", "`isEnabled`, existing key, telemetry off"],
  ["getString-hit-no-telemetry", "`getString`, existing key, telemetry off"],
  ["isEnabled-hit", "`isEnabled`, existing key (telemetry on, the default)"],
  ["isEnabled-miss", "`isEnabled`, missing key"],
  ["getValue-hit", "`getValue`, existing key, default of its type"],
  ["getValue-miss", "`getValue`, missing key"],
  ["getString-hit", "`getString`, existing key"],
  ["getNumber-hit", "`getNumber`, existing key"],
  ["getJson-hit", "`getJson`, existing key"],
  ["getJson-miss", "`getJson`, missing key"],
  ["for-user-cached", "`await forUser(user)` + `isEnabled`, user cached (a new user object per call, as per request)", "≤ 1 µs absolute"],
  ["for-user-new", "`forUser(user)` for a user seen for the first time, 100 flags (wall; steady state, users 1,421–2,420 after the start)"],
  ["for-user-new-early", "the same for users 21–420 after the start, while V8 still compiles both sides' code"],
  ["for-user-heap", "heap per cached `forUser` user, 100 flags"],
  ["latency-known-p99", "known users under latency (server 100 ms away, 1,000 users, 50 callers, a change every 3 s): `forUser` p99", "≤ 1 ms absolute"],
  ["latency-known-waited", "known users under latency: calls that waited on the network", "0"],
  ["latency-known-upstream", "known users under latency: upstream requests per user over the run", "≤ 1 + run / refreshInterval"],
  ["latency-burst-settle", "a burst of 1,000 new users at once, server 100 ms away: all settled (wall)"],
  ["latency-burst-vs-bare", "the same burst against the same burst sent by bare undici GETs over 64 connections (the limit above counts no CPU, of the client or the server)"],
  ["latency-burst-defaults", "the same burst: users served defaults", "0"],
  ["latency-sustained-defaults", "300 new users/s for 10 s, server 100 ms away: share served defaults", "≤ 1 %"],
  ["latency-outage-failures-to-open", "a 3 s outage (503) during that: 503 answers before the circuit opened", "= failureThreshold (5)"],
  ["latency-outage-requests-after-close", "requests in the first second after the circuit closed again", "≤ maxPending + live users"],
  ["poll-change", "one poll of 10,000 flags, one changed (CPU)"],
  ["poll-unchanged", "one poll of 10,000 flags, body unchanged (CPU; no ETag, as v2 sends)", "≈ reading it"],
  ["poll-change-file-cache", "the same poll with the file cache on, save included (CPU)"],
  ["file-cache-per-change", "file cache cost per change, 10,000 flags (CPU)"],
  ["identify", "`identify()`, 100 flags (wall)"],
  ["identify-file-cache", "`identify()` with the file cache on (wall)"],
  ["fanout-others", "a poll with one change while 10,000 `flag$` watch other flags (CPU)"],
  ["fanout-same", "a poll with one change delivered to 10,000 `flag$` of that flag (100 flags, CPU)"],
  ["sse-p50", "SSE change → `flag$` emission, p50 (server in another process)"],
  ["sse-p99", "SSE change → `flag$` emission, p99"],
  ["heap-per-flag", "heap per flag"],
  ["heap-fixed", "heap, client fixed cost (no flags; mean of 20 clients)"],
  ["heap-total", "heap with 10,000 flags, fixed cost included"],
  ["heap-growth", "heap after 10,000 polls (100 flags)"],
  ["openfeature-cached-context", "OpenFeature `getBooleanValue`, cached context"],
  ["openfeature-no-context", "OpenFeature `getBooleanValue`, no context"],
  ["cold-rollgate", "cold start: import, `init()`, one read, exit (fresh process)"],
  ["ready-rollgate", "the same, from spawn to the flag read (what a function or CLI waits for)"],
  ["cold-bare-undici", "the same for a bare undici GET + `JSON.parse` script (the floor of any undici client)"],
  ["cold-rollgate-vs-undici", "rollgate's cold start against that undici floor"],
  ["import-rollgate", "import of rollgate (fresh process)"],
  ["rss-rollgate", "peak RSS of that cold start"],
];

const OTHER_SDKS: readonly (readonly [id: string, label: string])[] = [
  ["rollgate-isEnabled", "rollgate isEnabled (sync, telemetry on)"],
  ["unleash-isEnabled", "unleash-client isEnabled (sync, bootstrap)"],
  ["launchdarkly-variation", "LaunchDarkly variation (await, TestData)"],
  ["openfeature-getBooleanValue", "OpenFeature getBooleanValue (await, InMemoryProvider)"],
];

const COLD: readonly (readonly [sdk: string, label: string])[] = [
  ["rollgate", "rollgate (its build, `dist/`)"],
  ["bare-undici", "bare undici GET + `JSON.parse` script"],
  ["launchdarkly", "LaunchDarkly's SDK (file data, offline)"],
  ["unleash", "unleash-client (bootstrap file, metrics off)"],
  ["openfeature", "OpenFeature's InMemoryProvider (no network)"],
];

const STEP_SCRIPTS: readonly (readonly [sdk: string, label: string])[] = [
  ["bare", "bare `http.get` + `JSON.parse`"],
  ["bare-undici", "bare undici GET + `JSON.parse`"],
  ["rollgate", "rollgate"],
];
const STEPS: readonly (readonly [field: string, label: string])[] = [
  ["startMs", "Node's boot"],
  ["importMs", "import"],
  ["initMs", "request (`new` + `init()`)"],
  ["closeMs", "read + `close()`"],
  ["exitMs", "last statement → exit"],
];

/** Three significant digits, thousands separated: what the bench prints, as prose reads it. */
function number(value: number): string {
  if (value >= 1000) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2);
}
const withUnit = (value: number, unit: string) => `${number(value)} ${unit}`;
const spread = (s: Spread, unit: string) => `${withUnit(s.median, unit)} [${number(s.min)}–${number(s.max)}]`;
const ratio = (s: Spread) => `${s.median.toFixed(2)}× [${s.min.toFixed(2)}–${s.max.toFixed(2)}]`;

function renderMain(rows: ReadonlyMap<string, ResultRow>): string[] {
  const lines = ["| Measure | rollgate (median [min–max]) | bare limit (median) | ratio (median [min–max]) | target |", "|---|---|---|---|---|"];
  for (const [id, label, targetText] of MAIN) {
    const row = rows.get(id);
    if (row === undefined) continue;
    const limit = row.limit === undefined ? "—" : `${withUnit(row.limit.median, row.unit)} (${row.limit.label})`;
    const absolute = id === "for-user-cached";
    const over = absolute ? row.candidate.median > 1000 : row.target !== undefined && row.ratio !== undefined && row.ratio.median > row.target;
    const shownRatio = absolute ? "— (the limit is a loop the JIT hoists)" : row.ratio === undefined ? "—" : ratio(row.ratio);
    const target = targetText ?? (row.target === undefined ? "—" : `≤ ${row.target}×`);
    lines.push(`| ${label} | ${spread(row.candidate, row.unit)} | ${limit} | ${shownRatio} | ${target}${over ? " **over**" : ""} |`);
  }
  return lines;
}

function renderOtherSdks(rows: ReadonlyMap<string, ResultRow>): string[] {
  const lines = ["| Comparison (same machine, same run) | median [min–max] | `Map.get` in the same process | ratio |", "|---|---|---|---|"];
  for (const [id, label] of OTHER_SDKS) {
    const row = rows.get(id);
    if (row === undefined || row.limit === undefined || row.ratio === undefined) continue;
    lines.push(`| ${label} | ${spread(row.candidate, row.unit)} | ${withUnit(row.limit.median, row.unit)} | ${row.ratio.median.toFixed(1)}× |`);
  }
  return lines;
}

function renderCold(rows: ReadonlyMap<string, ResultRow>): string[] {
  const lines = ["| Cold start, fresh process (1,000 flags) | spawn → exit | spawn → flag read | import | peak RSS |", "|---|---|---|---|---|"];
  const median = (id: string, unit: string) => {
    const row = rows.get(id);
    return row === undefined ? "—" : spread(row.candidate, unit);
  };
  for (const [sdk, label] of COLD) {
    if (!rows.has(`cold-${sdk}`)) continue;
    lines.push(`| ${label} | ${median(`cold-${sdk}`, "ms")} | ${median(`ready-${sdk}`, "ms")} | ${median(`import-${sdk}`, "ms")} | ${median(`rss-${sdk}`, "MiB")} |`);
  }
  const bare = rows.get("cold-rollgate")?.limit;
  const bareReady = rows.get("ready-rollgate")?.limit;
  const bareRss = rows.get("rss-rollgate")?.limit;
  const limit = (value: { readonly median: number } | undefined, unit: string) => (value === undefined ? "—" : withUnit(value.median, unit));
  if (bare !== undefined) lines.push(`| bare \`http.get\` + \`JSON.parse\` script | ${limit(bare, "ms")} | ${limit(bareReady, "ms")} | — | ${limit(bareRss, "MiB")} |`);
  return lines;
}

function renderSteps(rows: ReadonlyMap<string, ResultRow>): string[] {
  const lines = [`| Where a cold start's time goes (median ms) | ${STEPS.map(([, label]) => label).join(" | ")} |`, `|---|${STEPS.map(() => "---|").join("")}`];
  for (const [sdk, label] of STEP_SCRIPTS) {
    const cells = STEPS.map(([field]) => {
      const row = rows.get(`cold-step-${sdk}-${field}`);
      return row === undefined ? "—" : number(row.candidate.median);
    });
    if (cells.every((cell) => cell === "—")) continue;
    lines.push(`| ${label} | ${cells.join(" | ")} |`);
  }
  return lines;
}

const imports = (rows: ReadonlyMap<string, ResultRow>) =>
  [...rows.values()]
    .filter((row) => row.id.startsWith("import-dep-"))
    .map((row) => `${row.id.slice("import-dep-".length)} ${withUnit(row.candidate.median, "ms")}`)
    .join(", ");

/** The generated part of the Performance section. */
export function renderPerformance(results: Results): string {
  const rows = new Map(results.rows.map((row) => [row.id, row]));
  return [
    `From one \`npm run bench\` (${results.date.slice(0, 10)}, Node ${results.node.replace(/^v/, "").split(".")[0]}, ${results.cores} cores, ${results.seconds} s).`,
    `Every subject ran ${results.runs} times, each in a fresh process; each figure is the median of the runs`,
    "with their spread [min–max], and each ratio is taken against the bare limit measured in the same",
    "process, then the median of those ratios. Servers run in another process, so their work is not",
    "counted. `bench/results/latest.json` keeps every figure; `bench/README.md` says how each is measured.",
    "",
    ...renderMain(rows),
    "",
    "Reading one boolean flag (1,024 flags, all on), against other SDKs in the same run:",
    "",
    ...renderOtherSdks(rows),
    "",
    ...renderCold(rows),
    "",
    ...renderSteps(rows),
    "",
    `Imports measured alone, each in a fresh process: ${imports(rows)}.`,
  ].join("\n");
}

/**
 * Figures quoted in the README's prose, anywhere: `<!-- fig:SPEC -->5.76 KiB<!-- /fig -->`, the
 * text between the markers regenerated from the row SPEC names. SPEC is `row-id`, then optionally
 * `.limit` (the bare limit's median), `.ratio` (the median ratio, as `0.91×`) or `.range` (min–max),
 * then optionally a factor `×N` and a unit to convert to (`µs` from ns, `MiB` from KiB, `s` from ms, `GB` from B).
 * A SPEC naming no row fails, so a renamed row cannot leave a figure behind.
 */
const FIGURE = /<!-- fig:([^>]+?) -->(.*?)<!-- \/fig -->/g;
const CONVERSIONS: Readonly<Record<string, readonly [from: string, divisor: number]>> = { µs: ["ns", 1000], MiB: ["KiB", 1024], s: ["ms", 1000], GB: ["B", 1e9] };

function figure(spec: string, rows: ReadonlyMap<string, ResultRow>): string {
  const [path = "", ...options] = spec.trim().split(/\s+/);
  const [id = "", field = "median"] = path.split(/\.(?=limit$|ratio$|range$)/);
  const row = rows.get(id);
  if (row === undefined) throw new Error(`README.md quotes bench row "${id}", which bench/results/latest.json does not have.`);
  if (field === "ratio") {
    if (row.ratio === undefined) throw new Error(`Bench row "${id}" has no ratio.`);
    return `${row.ratio.median.toFixed(2)}×`;
  }
  let factor = 1;
  let unit = row.unit;
  for (const option of options) {
    if (option.startsWith("×")) factor *= Number(option.slice(1));
    else {
      const conversion = CONVERSIONS[option];
      if (conversion === undefined || conversion[0] !== row.unit) throw new Error(`README.md converts bench row "${id}" (${row.unit}) to ${option}, which readme.ts cannot.`);
      factor /= conversion[1];
      unit = option;
    }
  }
  if (field === "limit" && row.limit === undefined) throw new Error(`Bench row "${id}" has no limit.`);
  if (field === "range") return `${number(row.candidate.min * factor)}–${number(row.candidate.max * factor)} ${unit}`;
  return withUnit((field === "limit" ? row.limit!.median : row.candidate.median) * factor, unit);
}

/** README.md with every `fig:` figure regenerated from the results. */
export function withFigures(readme: string, results: Results): string {
  const rows = new Map(results.rows.map((row) => [row.id, row]));
  return readme.replace(FIGURE, (_match, spec: string) => `<!-- fig:${spec} -->${figure(spec, rows)}<!-- /fig -->`);
}

const BEGIN = "<!-- bench:begin (generated by `npm run bench:readme` from bench/results/latest.json) -->";
const END = "<!-- bench:end -->";

/** README.md with its generated part replaced by `generated`. */
export function withPerformance(readme: string, generated: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no "${BEGIN}" … "${END}" block.`);
  return `${readme.slice(0, start + BEGIN.length)}\n${generated}\n${readme.slice(end)}`;
}

const root = fileURLToPath(new URL("../", import.meta.url));

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = JSON.parse(readFileSync(`${root}bench/results/latest.json`, "utf8")) as Results;
  const readme = readFileSync(`${root}README.md`, "utf8");
  const updated = withFigures(withPerformance(readme, renderPerformance(results)), results);
  if (process.argv.includes("--check")) {
    if (updated !== readme) {
      process.stderr.write("README.md's bench figures (its Performance section and its `fig:` figures) differ from bench/results/latest.json: run `npm run bench:readme`.\n");
      process.exit(1);
    }
  } else {
    writeFileSync(`${root}README.md`, updated);
  }
}
