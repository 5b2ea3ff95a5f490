/**
 * µs per call of each stage of a new user's `forUser`, in isolation (no network):
 * `node --expose-gc --import tsx bench/profile/stages.ts`.
 */
import { Agent, request } from "undici";
import { asyncScheduler, firstValueFrom, from, map, race, timer } from "rxjs";
import { validateUser } from "../../src/scope/validate-user";
import { userKey } from "../../src/scope/user-key";
import { encodeUserContext } from "../../src/transport/user-context-header";
import { decodeV2Flags } from "../../src/transport/decode-flags";
import { resilientRequest } from "../../src/resilience/resilient-request";
import { CircuitBreaker } from "../../src/resilience/circuit-breaker";
import { resolveOptions } from "../../src/client/resolve-options";
import { abortable } from "../../src/resilience/abortable";
import { startServerProcess } from "../support/server-process";

/** The best of 5 rounds of `n` calls, in µs per call (the machine is shared: the best round is the least disturbed). */
function time(label: string, n: number, body: (i: number) => unknown): void {
  for (let i = 0; i < n / 10; i++) body(i);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) body(i);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / n / 1000);
  }
  process.stdout.write(`${label.padEnd(48)} ${best.toFixed(2)} µs\n`);
}
async function timeAsync(label: string, n: number, body: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n / 10; i++) await body(i);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await body(i);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / n / 1000);
  }
  process.stdout.write(`${label.padEnd(48)} ${best.toFixed(2)} µs\n`);
}

async function main(): Promise<void> {
  const server = await startServerProcess(100);
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 4 });
  const user = { id: "user-1", attributes: { plan: "pro", country: "PT" } };
  const response = await request(`${server.url}/api/v1/sdk/v2/flags`, {
    dispatcher: agent,
    headers: { authorization: `Bearer ${server.apiKey}`, "x-user-context": encodeUserContext(user) },
    query: { user_id: user.id },
  });
  const text = await response.body.text();
  process.stdout.write(`body: ${text.length} bytes\n`);
  const userOf = (i: number) => ({ id: `user-${i}`, attributes: { plan: i % 2 === 0 ? "pro" : "free", country: "PT" } });
  time("JSON.parse", 20_000, () => JSON.parse(text));
  time("JSON.parse + Map build (bare)", 20_000, () => {
    const body = JSON.parse(text) as { flags: Record<string, unknown> };
    const m = new Map<string, unknown>();
    for (const k in body.flags) m.set(k, body.flags[k]);
    return m;
  });
  time("decodeV2Flags (no previous)", 20_000, () => decodeV2Flags(JSON.parse(text), "x"));
  const prev = decodeV2Flags(JSON.parse(text), "x");
  time("decodeV2Flags (previous equal)", 20_000, () => decodeV2Flags(JSON.parse(text), "x", prev));
  time("validateUser", 50_000, (i) => validateUser(userOf(i)));
  time("userKey", 50_000, (i) => userKey(userOf(i)));
  time("encodeUserContext", 50_000, (i) => encodeUserContext(userOf(i)));
  time("structuredClone(user)", 50_000, (i) => structuredClone(userOf(i)));
  time("new AbortController", 50_000, () => new AbortController());
  const options = resolveOptions({ apiKey: "rg_server_x", baseUrl: "http://127.0.0.1:1" });
  const breaker = new CircuitBreaker(options.circuitBreaker, asyncScheduler);
  await timeAsync("resilientRequest(resolved work)", 20_000, () => firstValueFrom(resilientRequest(() => Promise.resolve(1), { breaker, options })));
  await timeAsync("breaker.guard(abortable(resolved work))", 20_000, () => firstValueFrom(breaker.guard(abortable(() => Promise.resolve(1)))));
  await timeAsync("abortable(resolved work)", 20_000, () => firstValueFrom(abortable(() => Promise.resolve(1))));
  await timeAsync("Promise.resolve baseline", 20_000, () => Promise.resolve(1));
  await timeAsync("race(work, timer) firstValueFrom", 20_000, () =>
    firstValueFrom(race(from(Promise.resolve(1)).pipe(map(() => true)), timer(5000, asyncScheduler).pipe(map(() => false)))),
  );
  breaker.dispose();
  await agent.destroy();
  await server.close();
}

void main();
