/**
 * A loop of per-request work to profile with `node --cpu-prof`: new-user `forUser` calls, or
 * `identify` alternating two users, or the bare undici equivalents, against a server in another
 * process. `node --expose-gc --import tsx bench/profile/per-request-loop.ts <mode> [n] [out.cpuprofile]`
 * where mode is for-user | bare-get | identify | bare-identify. Prints µs per call (wall and CPU);
 * with a third argument, writes a CPU profile (100 µs sampling) of the measured loop only.
 */
import { firstValueFrom, Observable } from "rxjs";
import type { RollgateUser } from "rollgate";
import { abortable } from "../../src/resilience/abortable";
import { resilientRequest } from "../../src/resilience/resilient-request";
import type { ResolvedOptions } from "../../src/client/resolve-options";
import type { CircuitBreaker } from "../../src/resilience/circuit-breaker";
import { Agent } from "undici";
import { bareRequests } from "../support/bare-requests";
import { startServerProcess } from "../support/server-process";
import { startCpuProfile } from "./cpu-profile";

const FLAGS = 100;

function failMode(mode: string): never {
  throw new Error(`unknown mode ${mode}`);
}

async function main(): Promise<void> {
  // ROLLGATE_FROM=/path/to/dist/index.js measures a build (no tsx transform) instead of src.
  const { RollgateClient } = (await import(process.env.ROLLGATE_FROM ?? "rollgate")) as typeof import("rollgate");
  const mode = process.argv[2] ?? "for-user";
  const n = Number(process.argv[3] ?? "4000");
  const server = await startServerProcess(FLAGS);
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 4 });
  const userOf = (i: number): RollgateUser => ({ id: `user-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free", country: "PT" } });
  const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: mode === "identify" ? 0 : 3_600, events: false, users: { maxUsers: Number(process.env.MAX_USERS ?? "100000") } });
  await client.init();
  // BARE_SDK_HEADERS=1: the bare GET also sends the SDK's identification headers (user-agent, x-sdk-*).
  const sdkHeaders = process.env.BARE_SDK_HEADERS === "1" ? { "user-agent": "rollgate-node/0.1.0", "x-sdk-name": "rollgate-node", "x-sdk-version": "0.1.0" } : {};
  const bare = bareRequests({ url: server.url, apiKey: server.apiKey, dispatcher: agent, flags: FLAGS, extraHeaders: sdkHeaders });
  const bareGet = bare.getFlags;
  const barePost = bare.postIdentify;
  const work: Record<string, (i: number) => Promise<unknown>> = {
    "for-user": (i) => client.forUser(userOf(2_000_000 + i)),
    // The transport alone (request + read + decode), no scope, pipeline or validation.
    transport: (i) => (client as unknown as { core: { transport: { fetchFlags(r: object, s: AbortSignal): Promise<unknown> } } }).core.transport.fetchFlags({ user: userOf(3_000_000 + i), etag: undefined }, new AbortController().signal),
    // The transport inside the request policy (timeout, breaker, retries), as a scope's fetch runs it.
    resilient: (i) => {
      const core = (client as unknown as { core: { transport: { fetchFlags(r: object, s: AbortSignal): Promise<unknown> }; breaker: CircuitBreaker; options: ResolvedOptions } }).core;
      const user = userOf(4_000_000 + i);
      return firstValueFrom(resilientRequest((signal) => core.transport.fetchFlags({ user, etag: undefined }, signal), { breaker: core.breaker, options: core.options }));
    },
    // The layers of the request policy one by one (PIPELINE=abortable|deadline|guard).
    layers: (i) => {
      const core = (client as unknown as { core: { transport: { fetchFlags(r: object, s: AbortSignal): Promise<unknown> }; breaker: CircuitBreaker; options: ResolvedOptions } }).core;
      const user = userOf(5_000_000 + i);
      const work = (signal: AbortSignal) => core.transport.fetchFlags({ user, etag: undefined }, signal);
      const deadline = { ms: 5_000, scheduler: core.options.scheduler, error: () => new Error("timeout") };
      const layer = process.env.PIPELINE ?? "abortable";
      if (layer === "plain") return work(new AbortController().signal);
      if (layer === "observable") return firstValueFrom(new Observable((s) => void work(new AbortController().signal).then((v) => (s.next(v), s.complete()))));
      if (layer === "abortable") return firstValueFrom(abortable(work));
      if (layer === "deadline") return firstValueFrom(abortable(work, deadline));
      return firstValueFrom(core.breaker.guard(abortable(work, deadline)));
    },
    "bare-get": (i) => bareGet(userOf(1_000_000 + i)),
    identify: (i) => client.identify({ id: `user-${i % 2}`, attributes: { plan: "pro" } }),
    "bare-identify": async (i) => {
      const user = { id: `user-${i % 2}`, attributes: { plan: "pro" } };
      await barePost(user);
      await bareGet(user);
    },
  };
  const out = process.argv[4];
  if (mode.includes(",")) {
    // A/B in one process: the modes alternate call by call, so load from other processes hits
    // them alike; CPU (getrusage) and wall time are summed per mode.
    const modes = mode.split(",");
    const runs = modes.map((m) => work[m] ?? failMode(m));
    const cpuUs = modes.map(() => 0);
    const wallUs = modes.map(() => 0);
    for (let i = 0; i < n + 200; i++) {
      for (let m = 0; m < runs.length; m++) {
        const cpu = process.cpuUsage();
        const start = performance.now();
        await runs[m]!(i);
        if (i < 200) continue;
        wallUs[m]! += (performance.now() - start) * 1000;
        const used = process.cpuUsage(cpu);
        cpuUs[m]! += used.user + used.system;
      }
    }
    modes.forEach((m, k) => process.stdout.write(`${m.padEnd(12)} ${(wallUs[k]! / n).toFixed(1)} µs wall, ${(cpuUs[k]! / n).toFixed(1)} µs CPU per call\n`));
    await client.close();
    await agent.destroy();
    await server.close();
    return;
  }
  const stopSplitProfile = mode === "split" ? await startCpuProfile(out, 50) : undefined;
  if (mode === "split") {
    // Where a new user's forUser spends its wall time: before the transport is called, inside it
    // (request, read, decode), and after it (apply, settle), against the bare GET alternated with it.
    const transport = (client as unknown as { core: { transport: { fetchFlags(r: object, s: AbortSignal): Promise<unknown> } } }).core.transport;
    const fetchFlags = transport.fetchFlags.bind(transport);
    let t1 = 0;
    let t2 = 0;
    transport.fetchFlags = async (r, signal) => {
      t1 = performance.now();
      try {
        return await fetchFlags(r, signal);
      } finally {
        t2 = performance.now();
      }
    };
    const sums = { bare: 0, before: 0, transport: 0, after: 0 };
    for (let i = 0; i < n + 200; i++) {
      const b0 = performance.now();
      await bareGet(userOf(1_000_000 + i));
      const t0 = performance.now();
      await client.forUser(userOf(2_000_000 + i));
      const t3 = performance.now();
      if (i < 200) continue;
      sums.bare += t0 - b0;
      sums.before += t1 - t0;
      sums.transport += t2 - t1;
      sums.after += t3 - t2;
    }
    await stopSplitProfile!();
    for (const [k, v] of Object.entries(sums)) process.stdout.write(`${k.padEnd(10)} ${((v * 1000) / n).toFixed(1)} µs\n`);
    await client.close();
    await agent.destroy();
    await server.close();
    return;
  }
  const run = work[mode] ?? failMode(mode);
  const warmup = Number(process.env.WARMUP ?? "200");
  for (let i = 0; i < warmup; i++) await run(i);
  const stopProfile = await startCpuProfile(out, 100);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = warmup; i < n + warmup; i++) await run(i);
  const wallUs = ((performance.now() - start) * 1000) / n;
  const used = process.cpuUsage(cpu);
  await stopProfile();
  process.stdout.write(`${mode}: ${wallUs.toFixed(1)} µs wall, ${((used.user + used.system) / n).toFixed(1)} µs CPU (user ${(used.user / n).toFixed(1)}) per call\n`);
  await client.close();
  await agent.destroy();
  await server.close();
}

void main();
