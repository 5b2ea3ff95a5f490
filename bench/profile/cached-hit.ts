/**
 * The cached-user row of `for-user` alone, to profile: `await forUser(user)` + `isEnabled` for a
 * user already cached, a new user object each call. `TSX_TSCONFIG_PATH=bench/tsconfig.json node
 * --import tsx bench/profile/cached-hit.ts [iterations] [out.cpuprofile]` prints ns per call
 * (median of 7 rounds, wall and CPU time) against `Map.get`; with a second argument, writes a CPU
 * profile. ROLLGATE_FROM=/path/to/dist/index.js measures another build (an A/B against a baseline).
 */
import { startCpuProfile } from "./cpu-profile";
import { startServerProcess } from "../support/server-process";

async function main(): Promise<void> {
  const { RollgateClient } = (await import(process.env.ROLLGATE_FROM ?? "rollgate")) as typeof import("rollgate");
  const iterations = Number(process.argv[2] ?? "400000");
  const server = await startServerProcess(100);
  const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 3_600, events: false, users: { maxUsers: 100_000 } });
  await client.init();
  await client.forUser({ id: "user-0", attributes: { plan: "pro", country: "PT" } });
  const bare = new Map(Object.entries((await client.forUser({ id: "user-0", attributes: { plan: "pro", country: "PT" } })).getAllFlags()));
  const key = "flag-00000";
  const stopProfile = await startCpuProfile(process.argv[3], 100);
  const hit: number[] = [];
  const hitCpu: number[] = [];
  const map: number[] = [];
  let sink = 0;
  for (let round = 0; round < 7; round++) {
    let start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    for (let i = 0; i < iterations; i++) {
      const flags = await client.forUser({ id: "user-0", attributes: { plan: "pro", country: "PT" } });
      if (flags.isEnabled(key, false)) sink++;
    }
    hit.push(Number(process.hrtime.bigint() - start) / iterations);
    const used = process.cpuUsage(cpu);
    hitCpu.push(((used.user + used.system) * 1000) / iterations);
    start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if (bare.get(key) === true) sink++;
    map.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  await stopProfile();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const spread = (xs: number[]) => `${median(xs).toFixed(0)} ns [${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}]`;
  console.log(`cached hit: wall ${spread(hit)}, CPU ${spread(hitCpu)}; Map.get ${median(map).toFixed(1)} ns${sink < 0 ? "" : ""}`);
  await client.close();
  await server.close();
}

await main();
