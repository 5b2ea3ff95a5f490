import { RollgateClient, type RollgateUser } from "rollgate";
import { Agent } from "undici";
import { bareRequests } from "../support/bare-requests";
import { median, settledHeap } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 100;

/**
 * Per-request evaluation (issue 10): `await forUser(user)` + `isEnabled` for a cached user against
 * `Map.get` (target: 1 µs absolute); `forUser` for a user seen for the first time (wall time until
 * the view resolves) against a bare undici GET with the same headers + `JSON.parse` + `Map` build,
 * in steady state (the target) and in the first users after the start; heap per cached user at
 * 100 flags.
 */
const subject: BenchSubject = {
  name: "for-user",
  async run({ quick }) {
    const server = await startServerProcess(FLAGS);
    const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 3_600, events: false, users: { maxUsers: 100_000 } });
    await client.init();
    const agent = new Agent({ keepAliveTimeout: 60_000, connections: 4 });
    const userOf = (i: number): RollgateUser => ({ id: `user-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free", country: "PT" } });

    // A cached user, asked for as a request would (a new user object each time).
    const cached = userOf(0);
    await client.forUser(cached);
    const bare = new Map(Object.entries((await client.forUser(cached)).getAllFlags()));
    const key = "flag-00000";
    const iterations = quick ? 100_000 : 400_000;
    const hitNs: number[] = [];
    const mapNs: number[] = [];
    let sink = 0;
    for (let round = 0; round < (quick ? 3 : 7); round++) {
      let start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) {
        const flags = await client.forUser({ id: "user-0", attributes: { plan: "pro", country: "PT" } });
        if (flags.isEnabled(key, false)) sink++;
      }
      hitNs.push(Number(process.hrtime.bigint() - start) / iterations);
      start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) if (bare.get(key) === true) sink++;
      mapNs.push(Number(process.hrtime.bigint() - start) / iterations);
    }

    // A user seen for the first time.
    const bareFetch = bareRequests({ url: server.url, apiKey: server.apiKey, dispatcher: agent, flags: FLAGS }).getFlags;
    const wall = async (work: () => Promise<unknown>) => {
      const start = performance.now();
      await work();
      return performance.now() - start;
    };
    // Users 21 to 420 after the client's start, while V8 is still compiling both sides' code (the
    // cold-start rows measure the very first request); then, after 1,000 more, users 1,421 to
    // 2,420, the steady state of a server that has been answering for a while: the target's row.
    const early = quick ? 100 : 400;
    const steady = quick ? 200 : 1_000;
    const warmup = 20;
    const settled = early + warmup + 1_000;
    const newMs: number[] = [];
    const bareMs: number[] = [];
    const earlyNewMs: number[] = [];
    const earlyBareMs: number[] = [];
    for (let i = 0; i < settled + steady; i++) {
      const b = await wall(() => bareFetch(userOf(1_000_000 + i)));
      const c = await wall(() => client.forUser(userOf(2_000_000 + i)));
      if (i >= warmup && i < warmup + early) {
        earlyBareMs.push(b);
        earlyNewMs.push(c);
      } else if (i >= settled) {
        bareMs.push(b);
        newMs.push(c);
      }
    }

    // Heap per cached user: users fetched and kept, against the heap before them.
    const users = quick ? 500 : 2_000;
    const before = settledHeap();
    for (let i = 0; i < users; i++) await client.forUser(userOf(3_000_000 + i));
    const perUserKiB = (settledHeap() - before) / users / 1024;

    await client.close();
    await agent.destroy();
    await server.close();
    if (sink < 0) console.log(sink);
    return [
      { id: "for-user-cached", label: "forUser + isEnabled, cached user (target ≤ 1 µs absolute)", unit: "ns", candidate: median(hitNs), limit: { label: "Map.get", value: median(mapNs) } },
      { id: "for-user-new", label: `forUser, new user, ${FLAGS} flags (wall, steady state)`, unit: "ms", candidate: median(newMs), limit: { label: "GET + parse + Map", value: median(bareMs) }, target: 1.2 },
      { id: "for-user-new-early", label: `forUser, new user, ${FLAGS} flags (wall, users 21-${warmup + early} after start)`, unit: "ms", candidate: median(earlyNewMs), limit: { label: "GET + parse + Map", value: median(earlyBareMs) } },
      { id: "for-user-heap", label: `heap per cached user, ${FLAGS} flags`, unit: "KiB", candidate: perUserKiB },
    ] satisfies BenchRow[];
  },
};

export default subject;
