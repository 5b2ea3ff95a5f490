/**
 * A loop of per-request work to profile with `node --cpu-prof`: new-user `forUser` calls, or
 * `identify` alternating two users, or the bare undici equivalents, against a server in another
 * process. `node --expose-gc --import tsx bench/profile/per-request-loop.ts <mode> [n] [out.cpuprofile]`
 * where mode is for-user | bare-get | identify | bare-identify. Prints µs per call (wall and CPU);
 * with a third argument, writes a CPU profile (100 µs sampling) of the measured loop only.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { RollgateClient, type RollgateUser } from "rollgate";
import { Agent, request } from "undici";
import { startServerProcess } from "../support/server-process";

const FLAGS = 100;

async function main(): Promise<void> {
  const mode = process.argv[2] ?? "for-user";
  const n = Number(process.argv[3] ?? "4000");
  const server = await startServerProcess(FLAGS);
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 4 });
  const headers = { authorization: `Bearer ${server.apiKey}`, accept: "application/json" };
  const userOf = (i: number): RollgateUser => ({ id: `user-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free", country: "PT" } });
  const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: mode === "identify" ? 0 : 3_600, events: false, users: { maxUsers: Number(process.env.MAX_USERS ?? "100000") } });
  await client.init();
  const bareGet = async (user: RollgateUser) => {
    const response = await request(`${server.url}/api/v1/sdk/v2/flags`, {
      dispatcher: agent,
      headers: { ...headers, "x-user-context": Buffer.from(JSON.stringify(user)).toString("base64") },
      query: { user_id: user.id },
    });
    const body = JSON.parse(await response.body.text()) as { flags: Record<string, unknown> };
    const map = new Map<string, unknown>();
    for (const key in body.flags) map.set(key, body.flags[key]);
    if (map.size !== FLAGS) throw new Error("short body");
  };
  const barePost = async (user: RollgateUser) => {
    const post = await request(`${server.url}/api/v1/sdk/identify`, {
      method: "POST",
      dispatcher: agent,
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ user }),
    });
    await post.body.dump();
  };
  const work: Record<string, (i: number) => Promise<unknown>> = {
    "for-user": (i) => client.forUser(userOf(2_000_000 + i)),
    // The transport alone (request + read + decode), no scope, pipeline or validation.
    transport: (i) => (client as unknown as { core: { transport: { fetchFlags(r: object, s: AbortSignal): Promise<unknown> } } }).core.transport.fetchFlags({ user: userOf(3_000_000 + i), etag: undefined }, new AbortController().signal),
    "bare-get": (i) => bareGet(userOf(1_000_000 + i)),
    identify: (i) => client.identify({ id: `user-${i % 2}`, attributes: { plan: "pro" } }),
    "bare-identify": async (i) => {
      const user = { id: `user-${i % 2}`, attributes: { plan: "pro" } };
      await barePost(user);
      await bareGet(user);
    },
  };
  const run = work[mode];
  if (run === undefined) throw new Error(`unknown mode ${mode}`);
  const warmup = Number(process.env.WARMUP ?? "200");
  for (let i = 0; i < warmup; i++) await run(i);
  const out = process.argv[4];
  const session = new Session();
  if (out !== undefined) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = warmup; i < n + warmup; i++) await run(i);
  const wallUs = ((performance.now() - start) * 1000) / n;
  const used = process.cpuUsage(cpu);
  if (out !== undefined) writeFileSync(out, JSON.stringify((await session.post("Profiler.stop")).profile));
  process.stdout.write(`${mode}: ${wallUs.toFixed(1)} µs wall, ${((used.user + used.system) / n).toFixed(1)} µs CPU (user ${(used.user / n).toFixed(1)}) per call\n`);
  await client.close();
  await agent.destroy();
  await server.close();
}

void main();
