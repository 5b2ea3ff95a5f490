import { RollgateClient, silentLogger, type RollgateUser, type UserFlags } from "rollgate";
import { Agent } from "undici";
import { percentile } from "../measure";
import { bareRequests } from "../support/bare-requests";
import { CountingAgent } from "../support/counting-agent";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

/**
 * Per-request evaluation under latency (issue 20): the local server (another process) holds every
 * flags response 100 ms (`faults.delay(100)`, it never fails), as a real Rollgate API 50-150 ms
 * away would. Client defaults, except where a phase says otherwise:
 * - known users: 1,000 users, 50 concurrent callers, refreshInterval 2 s, streaming on, a flag
 *   change every 3 s: `forUser` latency, calls that waited on the network, how long each user
 *   kept reading the old value after a change, upstream requests per user;
 * - burst: 1,000 new users at once: defaults served, circuit, settle time against
 *   1000 / connections × 100 ms (the target, which counts no CPU: neither the server's
 *   nor the HTTP client's), and beside it the same burst sent by bare undici GETs over the same
 *   number of connections, in the same process: what this machine and the local server allow;
 * - sustained: 300 new users/s for 10 s: defaults served, circuit;
 * - outage during sustained: the server answers 503 for 3 s (breaker resetTimeout 2 s so that it
 *   can close within the run): 503s received before the circuit opened, circuit at the end,
 *   requests in the first second after it closed.
 */
const FLAGS = 50;
const LATENCY_MS = 100;
const CONNECTIONS = 64;
/** A number flag of the bench flags (`benchKind(3)`), changed by the known-users phase. */
const CHANGING = "flag-00003";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const userOf = (prefix: string, i: number): RollgateUser => ({ id: `${prefix}-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free", country: "PT" } });
const servedDefaults = (view: UserFlags) => view.stale || view.source !== "server";

async function until(predicate: () => boolean, maxMs: number): Promise<void> {
  const end = performance.now() + maxMs;
  while (!predicate() && performance.now() < end) await sleep(5);
}

async function knownUsers(server: ServerProcess, quick: boolean): Promise<BenchRow[]> {
  const users = 1_000;
  const callers = 50;
  const refreshInterval = 2;
  const runMs = quick ? 6_500 : 9_500;
  const agent = new CountingAgent(CONNECTIONS + 2);
  const client = new RollgateClient({
    apiKey: server.apiKey,
    baseUrl: server.url,
    cache: false,
    events: false,
    logger: silentLogger,
    enableStreaming: true,
    refreshInterval,
    users: { maxUsers: 2 * users },
    dispatcher: agent,
  });
  await client.init();
  await until(() => client.getStatus().stream === "open", 5_000);
  await Promise.all(Array.from({ length: users }, (_, i) => client.forUser(userOf("known", i))));
  // Known means served: a user whose first fetch outlasted `timeout` (a loaded machine) is asked again.
  for (let round = 0; round < 20; round++) {
    const views = await Promise.all(Array.from({ length: users }, (_, i) => client.forUser(userOf("known", i))));
    if (views.every((view) => view.source === "server" && !view.stale)) break;
    await sleep(500);
  }
  const requestsBefore = agent.requests.length;

  const latencies: number[] = [];
  let waited = 0;
  // Per change: when the server applied it, its value, and per user the first read after it and the last old read.
  const changes: { at: number; value: number; firstRead: Float64Array; lastOld: Float64Array }[] = [];
  let value = 3;
  const start = performance.now();
  const end = start + runMs;
  const changer = (async () => {
    for (let k = 1; performance.now() + 3_000 < end; k++) {
      await sleep(start + 3_000 * k - performance.now());
      value = 1_000 + k;
      await server.change(CHANGING, value);
      changes.push({ at: performance.now(), value, firstRead: new Float64Array(users).fill(Number.NaN), lastOld: new Float64Array(users).fill(Number.NaN) });
    }
  })();
  const caller = async (seed: number) => {
    let i = seed;
    while (performance.now() < end) {
      await nextTurn(); // one request per turn of the event loop, as a server would interleave them
      i = (i * 7_919 + 104_729) % users;
      const t0 = performance.now();
      const answer = client.forUser(userOf("known", i));
      // A call answered from memory has settled by the next microtask; one that waits on the
      // network has not (this tells a network wait from a stall of a loaded event loop).
      let settled = false;
      void answer.then(() => (settled = true));
      await null;
      if (!settled) waited++;
      const view = await answer;
      const t1 = performance.now();
      latencies.push(t1 - t0);
      const seen = view.getNumber(CHANGING, -1);
      const change = changes[changes.length - 1];
      if (change !== undefined && t0 > change.at) {
        if (Number.isNaN(change.firstRead[i]!)) change.firstRead[i] = t0;
        if (seen !== change.value) change.lastOld[i] = t0;
      }
    }
  };
  await Promise.all([changer, ...Array.from({ length: callers }, (_, c) => caller(c))]);
  const elapsedS = (performance.now() - start) / 1_000;
  const upstream = agent.requests.slice(requestsBefore).filter((r) => r.userId?.startsWith("known-") === true).length;
  // How long after their first read following a change users kept reading the old value: one
  // request plus the refetch.
  const oldFor: number[] = [];
  for (const change of changes) {
    for (let i = 0; i < users; i++) {
      const first = change.firstRead[i]!;
      if (Number.isNaN(first)) continue;
      const lastOld = change.lastOld[i]!;
      oldFor.push(Number.isNaN(lastOld) ? 0 : lastOld - first);
    }
  }
  const circuit = client.getCircuitState();
  await client.close();
  await agent.destroy();
  return [
    { id: "latency-known-p50", label: `known users: forUser p50 (1,000 users, ${callers} callers, 100 ms server)`, unit: "ms", candidate: percentile(latencies, 50) },
    { id: "latency-known-p99", label: "known users: forUser p99 (target ≤ 1 ms; event-loop stalls included)", unit: "ms", candidate: percentile(latencies, 99) },
    { id: "latency-known-waited", label: "known users: calls that waited on the network (not settled at the next microtask; target 0)", unit: "count", candidate: waited },
    { id: "latency-known-calls", label: "known users: forUser calls in the run", unit: "count", candidate: latencies.length },
    { id: "latency-known-old-p50", label: "known users: old value read after a change, from the user's first read after it (p50; one request + the refetch)", unit: "ms", candidate: percentile(oldFor, 50) },
    {
      id: "latency-known-old-p99",
      label: `known users: the same, p99 (every user refetches: ≥ 1000 / ${CONNECTIONS} connections × 100 ms = ${((users / CONNECTIONS) * LATENCY_MS).toFixed(0)} ms to reach all)`,
      unit: "ms",
      candidate: percentile(oldFor, 99),
    },
    {
      id: "latency-known-upstream",
      label: `known users: upstream requests per user over ${elapsedS.toFixed(1)} s (bound 1 + run / refreshInterval = ${(1 + elapsedS / refreshInterval).toFixed(1)})`,
      unit: "count",
      candidate: upstream / users,
    },
    { id: "latency-known-circuit-open", label: "known users: circuit open at the end (0 = closed)", unit: "count", candidate: circuit === "closed" ? 0 : 1 },
  ];
}

/** The burst sent by hand: bare undici GETs (+ JSON.parse + Map) over {@link CONNECTIONS} connections. */
async function bareBurst(server: ServerProcess, users: number): Promise<number> {
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: CONNECTIONS });
  const { getFlags } = bareRequests({ url: server.url, apiKey: server.apiKey, dispatcher: agent, flags: FLAGS });
  const start = performance.now();
  await Promise.all(Array.from({ length: users }, (_, i) => getFlags(userOf("bare-burst", i))));
  const elapsed = performance.now() - start;
  await agent.destroy();
  return elapsed;
}

async function burst(server: ServerProcess): Promise<BenchRow[]> {
  const users = 1_000;
  const bare = await bareBurst(server, users);
  const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, events: false, logger: silentLogger, users: { maxUsers: 2 * users } });
  await client.init();
  const start = performance.now();
  let last = 0;
  const views = await Promise.all(
    Array.from({ length: users }, (_, i) =>
      client.forUser(userOf("burst", i)).then((view) => {
        last = performance.now() - start;
        return view;
      }),
    ),
  );
  const defaults = views.filter(servedDefaults).length;
  const circuit = client.getCircuitState();
  await client.close();
  return [
    { id: "latency-burst-settle", label: "burst: 1,000 new users at once, all settled (wall)", unit: "ms", candidate: last, limit: { label: `1000 / ${CONNECTIONS} connections × 100 ms`, value: (users / CONNECTIONS) * LATENCY_MS }, target: 1.2 },
    { id: "latency-burst-vs-bare", label: `burst: settle time against the same burst by bare undici GETs (${CONNECTIONS} connections)`, unit: "ms", candidate: last, limit: { label: "bare undici burst", value: bare } },
    { id: "latency-burst-defaults", label: "burst: users served defaults (target 0)", unit: "count", candidate: defaults },
    { id: "latency-burst-circuit-open", label: "burst: circuit open at the end (0 = closed)", unit: "count", candidate: circuit === "closed" ? 0 : 1 },
  ];
}

/** A client for the sustained phases: defaults, through a counting agent. */
function sustainedClient(server: ServerProcess, agent: CountingAgent, seconds: number, resetTimeout?: number): RollgateClient {
  return new RollgateClient({
    apiKey: server.apiKey,
    baseUrl: server.url,
    cache: false,
    events: false,
    logger: silentLogger,
    dispatcher: agent,
    users: { maxUsers: 400 * seconds },
    circuitBreaker: resetTimeout === undefined ? {} : { resetTimeout },
  });
}

/** 300 new users per second for `seconds`, each asked for once; `during(elapsed)` runs before each 10 ms slot. */
async function drive(client: RollgateClient, prefix: string, seconds: number, during?: (elapsedMs: number) => Promise<void>): Promise<UserFlags[]> {
  const pending: Promise<UserFlags>[] = [];
  const start = performance.now();
  for (let slot = 0; slot < seconds * 100; slot++) {
    const wait = start + slot * 10 - performance.now();
    if (wait > 0) await sleep(wait);
    await during?.(performance.now() - start);
    for (let k = 0; k < 3; k++) pending.push(client.forUser(userOf(prefix, slot * 3 + k)));
  }
  return Promise.all(pending);
}

async function sustainedRows(server: ServerProcess, quick: boolean): Promise<BenchRow[]> {
  const seconds = quick ? 4 : 10;
  const agent = new CountingAgent(CONNECTIONS + 2);
  const client = sustainedClient(server, agent, seconds);
  await client.init();
  const views = await drive(client, "steady", seconds);
  const defaults = views.filter(servedDefaults).length;
  const circuit = client.getCircuitState();
  const perUser = agent.requests.filter((r) => r.userId?.startsWith("steady-") === true).length / views.length;
  await client.close();
  await agent.destroy();
  return [
    { id: "latency-sustained-defaults", label: `sustained: 300 new users/s for ${seconds} s, share served defaults (target ≤ 1 %)`, unit: "%", candidate: (100 * defaults) / views.length },
    { id: "latency-sustained-circuit-open", label: "sustained: circuit open at the end (0 = closed)", unit: "count", candidate: circuit === "closed" ? 0 : 1 },
    { id: "latency-sustained-upstream", label: "sustained: upstream requests per new user", unit: "count", candidate: perUser },
  ];
}

async function outage(server: ServerProcess): Promise<BenchRow[]> {
  const seconds = 10;
  const agent = new CountingAgent(CONNECTIONS + 2);
  const client = sustainedClient(server, agent, seconds, 2);
  await client.init();
  let outageAt = Number.NaN;
  let recoveredAt = Number.NaN;
  let openedAt = Number.NaN;
  let closedAt = Number.NaN;
  client.on("circuit-open", () => {
    if (Number.isNaN(openedAt)) openedAt = performance.now();
  });
  client.on("circuit-closed", () => {
    if (!Number.isNaN(recoveredAt) && Number.isNaN(closedAt)) closedAt = performance.now();
  });
  const views = await drive(client, "outage", seconds, async (elapsed) => {
    if (Number.isNaN(outageAt) && elapsed >= 3_000) {
      await server.fault("fail", 503);
      outageAt = performance.now();
    } else if (!Number.isNaN(outageAt) && Number.isNaN(recoveredAt) && elapsed >= 6_000) {
      await server.fault("clear");
      await server.fault("delay", LATENCY_MS);
      recoveredAt = performance.now();
    }
  });
  // Let the last fetches land, then read the circuit.
  await until(() => client.getCircuitState() === "closed", 5_000);
  const circuit = client.getCircuitState();
  const failuresBeforeOpen = agent.answers.filter((a) => a.status === 503 && a.at <= openedAt).length;
  const afterClose = Number.isNaN(closedAt) ? Number.NaN : agent.requests.filter((r) => r.at >= closedAt && r.at < closedAt + 1_000).length;
  const defaults = views.filter(servedDefaults).length;
  await client.close();
  await agent.destroy();
  return [
    { id: "latency-outage-failures-to-open", label: "outage (503 for 3 s) during sustained: 503 answers before the circuit opened (failureThreshold 5)", unit: "count", candidate: failuresBeforeOpen },
    { id: "latency-outage-open-after", label: "outage: circuit opened after the outage began", unit: "ms", candidate: openedAt - outageAt },
    { id: "latency-outage-close-after", label: "outage: circuit closed after the server recovered (resetTimeout 2 s)", unit: "ms", candidate: closedAt - recoveredAt },
    { id: "latency-outage-circuit-open", label: "outage: circuit open at the end (0 = closed)", unit: "count", candidate: circuit === "closed" ? 0 : 1 },
    { id: "latency-outage-requests-after-close", label: "outage: flags requests in the first second after the circuit closed (bound maxPending + live users = 2,000)", unit: "count", candidate: afterClose },
    { id: "latency-outage-defaults", label: "outage: share of the run's new users served defaults", unit: "%", candidate: (100 * defaults) / views.length },
  ];
}

const subject: BenchSubject = {
  name: "per-request-latency",
  async run({ quick }) {
    const server = await startServerProcess(FLAGS);
    await server.fault("delay", LATENCY_MS);
    const rows = [...(await knownUsers(server, quick)), ...(await burst(server)), ...(await sustainedRows(server, quick))];
    if (!quick) rows.push(...(await outage(server)));
    await server.close();
    return rows;
  },
};

export default subject;
