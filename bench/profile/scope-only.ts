/**
 * The per-request machinery of `forUser` for new users and of `identify` (scope, request policy,
 * snapshot, events) with no network: the transport answers at once with 100 decoded flags.
 * `node --expose-gc --import tsx bench/profile/scope-only.ts [for-user|identify] [n] [out.cpuprofile]`
 */
import { startCpuProfile } from "./cpu-profile";

import { frozenFlagState } from "../../src/snapshot/frozen-flag-state";
import type { FlagState } from "../../src/model/flag-state";
import { FlagTable } from "../../src/model/flag-table";
import type { FlagsTransport } from "../../src/transport/flags-transport";

const flags = new Map<string, FlagState>();
for (let i = 0; i < 100; i++) flags.set(`flag-${i}`, frozenFlagState("string", true, `v${i}`, Object.freeze({ kind: "FALLTHROUGH" })));
const transport: FlagsTransport = {
  fetchFlags: () => Promise.resolve({ kind: "updated", flags: FlagTable.of(flags), etag: undefined }),
  postIdentify: () => Promise.resolve(),
  postEvents: () => Promise.resolve(),
  postTelemetry: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

async function main(): Promise<void> {
  // ROLLGATE_FROM=/path/to/dist/index.js measures a build (no tsx transform) instead of src.
  const { RollgateClient } = (await import(process.env.ROLLGATE_FROM ?? "rollgate")) as typeof import("rollgate");
  const mode = process.argv[2] ?? "for-user";
  const n = Number(process.argv[3] ?? "20000");
  const out = process.argv[4];
  const client = new RollgateClient({ apiKey: "rg_server_bench", testData: { connect: () => transport }, events: false, refreshInterval: mode === "identify" ? 0 : 3_600, users: { maxUsers: 100_000 } });
  await client.init();
  const run = mode === "identify" ? (i: number) => client.identify({ id: `user-${i % 2}`, attributes: { plan: "pro" } }) : (i: number) => client.forUser({ id: `user-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free", country: "PT" } });
  for (let i = 0; i < 2000; i++) await run(i);
  const stopProfile = await startCpuProfile(out, 50);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 2000; i < n + 2000; i++) await run(i);
  const wallUs = ((performance.now() - start) * 1000) / n;
  const used = process.cpuUsage(cpu);
  await stopProfile();
  process.stdout.write(`${mode} (no network): ${wallUs.toFixed(2)} µs wall, ${((used.user + used.system) / n).toFixed(2)} µs CPU per call\n`);
  await client.close();
}

void main();
