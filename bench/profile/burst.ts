/**
 * The burst row of `per-request-latency` alone, with the same burst done bare: 1,000 new users at
 * once against the local server holding each flags response 100 ms, through rollgate (`forUser`,
 * 64 connections) or through bare undici GETs (an Agent of 64 connections, JSON.parse + Map). The
 * bare run is what the local server and the machine allow; the row's limit (1000 / 64 × 100 ms)
 * counts neither. `TSX_TSCONFIG_PATH=bench/tsconfig.json node --import tsx bench/profile/burst.ts
 * [rounds]` prints, per round, settle time and the bench process's CPU for each.
 */
import { Agent } from "undici";
import type { RollgateUser } from "rollgate";
import { bareRequests } from "../support/bare-requests";
import { startServerProcess } from "../support/server-process";

const USERS = 1_000;
const CONNECTIONS = 64;

async function main(): Promise<void> {
  const { RollgateClient, silentLogger } = (await import(process.env.ROLLGATE_FROM ?? "rollgate")) as typeof import("rollgate");
  const rounds = Number(process.argv[2] ?? "3");
  const server = await startServerProcess(50);
  await server.fault("delay", 100);
  const userOf = (prefix: string, i: number): RollgateUser => ({ id: `${prefix}-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free", country: "PT" } });
  const timed = async (work: () => Promise<unknown>) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await work();
    const used = process.cpuUsage(cpu);
    return `${(performance.now() - start).toFixed(0)} ms (CPU ${((used.user + used.system) / 1000).toFixed(0)} ms)`;
  };
  for (let round = 0; round < rounds; round++) {
    const agent = new Agent({ keepAliveTimeout: 60_000, connections: CONNECTIONS });
    const bare = bareRequests({ url: server.url, apiKey: server.apiKey, dispatcher: agent, flags: 50 }).getFlags;
    const bareFigure = await timed(() => Promise.all(Array.from({ length: USERS }, (_, i) => bare(userOf(`bare${round}`, i)))));
    await agent.destroy();
    const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, events: false, logger: silentLogger, users: { maxUsers: 2 * USERS } });
    await client.init();
    let defaults = 0;
    const clientFigure = await timed(() =>
      Promise.all(Array.from({ length: USERS }, (_, i) => client.forUser(userOf(`burst${round}`, i)).then((view) => (view.stale || view.source !== "server" ? defaults++ : 0)))),
    );
    await client.close();
    console.log(`round ${round}: bare ${bareFigure}; rollgate ${clientFigure}, ${defaults} defaults; limit ${((USERS / CONNECTIONS) * 100).toFixed(0)} ms`);
  }
  await server.close();
}

await main();
