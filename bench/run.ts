/**
 * `npm run bench`: rollgate's performance as ratios against the bare limit measured in the same
 * run (DESIGN.md, "Performance targets"). Prints a table and writes bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startServer } from "rollgate/server";
import { benchFlags } from "./bench-flags";
import { benchFanout } from "./fanout";
import { benchGetters } from "./getters";
import { benchMemory } from "./memory";
import { benchSseLatency } from "./sse-latency";

const FLAG_COUNT = 10_000;
const SILENT = { warn() {}, error() {}, info() {}, debug() {} };

async function main(): Promise<void> {
  const flags = benchFlags(FLAG_COUNT);
  const server = await startServer({ flags, logger: SILENT, heartbeatInterval: 0 });
  const emptyServer = await startServer({ flags: [], logger: SILENT, heartbeatInterval: 0 });
  const keys = flags.slice(0, 8192).map((f) => f.key);
  try {
    const memory = await benchMemory(server, emptyServer, FLAG_COUNT);
    const getters = await benchGetters(server, keys);
    const fanout = await benchFanout(server, flags.map((f) => f.key), 10_000);

    const rows: [string, string, string, number, number][] = [
      ["isEnabled, existing key", `${getters.isEnabledHit.candidateNs.toFixed(1)} ns`, `${getters.isEnabledHit.limitNs.toFixed(1)} ns (Map.get)`, getters.isEnabledHit.ratio, 2],
      ["isEnabled, missing key", `${getters.isEnabledMiss.candidateNs.toFixed(1)} ns`, `${getters.isEnabledMiss.limitNs.toFixed(1)} ns (Map.get)`, getters.isEnabledMiss.ratio, 2],
      ["getValue, existing key", `${getters.getValueHit.candidateNs.toFixed(1)} ns`, `${getters.getValueHit.limitNs.toFixed(1)} ns (Map.get)`, getters.getValueHit.ratio, 2],
      ["getValue, missing key", `${getters.getValueMiss.candidateNs.toFixed(1)} ns`, `${getters.getValueMiss.limitNs.toFixed(1)} ns (Map.get)`, getters.getValueMiss.ratio, 2],
      ["flag$ change, 10,000 other subscribers", `${fanout.candidateUs.toFixed(0)} µs`, `${fanout.limitUs.toFixed(0)} µs (no subscribers)`, fanout.ratio, 2],
      ["heap, 10,000 flags", `${(memory.clientBytes / 1024).toFixed(0)} KiB`, `${(memory.mapBytes / 1024).toFixed(0)} KiB (Map)`, memory.ratio, 2],
    ];
    const sseServer = await startServer({ flags: benchFlags(100), logger: SILENT, heartbeatInterval: 0 });
    const sse = await benchSseLatency(sseServer, 1_000).finally(() => sseServer.close());
    rows.push(
      ["SSE change → flag$, p50 (100 flags)", `${sse.candidate.p50.toFixed(2)} ms`, `${sse.limit.p50.toFixed(2)} ms (eventsource+GET)`, sse.ratioP50, 2],
      ["SSE change → flag$, p99 (100 flags)", `${sse.candidate.p99.toFixed(2)} ms`, `${sse.limit.p99.toFixed(2)} ms (eventsource+GET)`, sse.ratioP99, 2],
    );

    const width = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`rollgate bench — node ${process.version}, ${FLAG_COUNT} flags\n\n`);
    for (const [name, candidate, limit, ratio, target] of rows) {
      const verdict = ratio <= target ? "ok" : "OVER TARGET";
      process.stdout.write(`${name.padEnd(width)}  ${candidate.padStart(10)}  vs ${limit.padEnd(28)} ${ratio.toFixed(2)}× (target ≤ ${target}×) ${verdict}\n`);
    }
    const dir = fileURLToPath(new URL("./results/", import.meta.url));
    mkdirSync(dir, { recursive: true });
    const results = { node: process.version, date: new Date().toISOString(), flags: FLAG_COUNT, getters, fanout, memory, sse };
    writeFileSync(`${dir}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`\nwrote bench/results/latest.json\n`);
  } finally {
    await server.close();
    await emptyServer.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
