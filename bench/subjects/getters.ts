import { RollgateClient, type JsonValue } from "rollgate";
import { benchKey, benchKind } from "../bench-flags";
import { compareLoops, dedicatedLoop, type Loop } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

/** Keys per loop (a power of two): drawn at random, with repeats, from every flag of a kind. */
const KEYS = 4096;

/** A small seeded generator (mulberry32): the same keys in every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * {@link KEYS} keys drawn uniformly from all `total` flags of `kind` ("any": every flag), so that
 * a loop reads across the whole flag set, as an application serving many features does, and not
 * one hot key or the first few thousand.
 */
function randomKeys(total: number, kind: ReturnType<typeof benchKind> | "any", seed: number): string[] {
  const pool: string[] = [];
  for (let i = 0; i < total; i++) if (kind === "any" || benchKind(i) === kind) pool.push(benchKey(i));
  const next = random(seed);
  return Array.from({ length: KEYS }, () => pool[Math.floor(next() * pool.length)]!);
}

type Case = readonly [id: string, label: string, keys: string[], candidate: string, limit: string, subject: unknown];

/**
 * Every getter, hit and miss, with a real default of the flag's type, against a bare `Map.get` of
 * the served values with the same default, at 100 and at 10,000 flags, keys at random across all
 * flags. Evaluation telemetry on (the default), and off for two rows. Each getter and each limit
 * runs in its own loop. The 10,000-flag rows keep the ids they always had; the 100-flag rows end
 * in `-100`.
 */
const subject: BenchSubject = {
  name: "getters",
  async run({ quick }) {
    const rounds = quick ? 5 : 7;
    const iterations = quick ? 300_000 : 600_000;
    (globalThis as { DEFAULT?: unknown }).DEFAULT = Object.freeze({ limit: 0, on: false });
    const rows: BenchRow[] = [];
    for (const flags of [10_000, 100]) {
      const server = await startServerProcess(flags);
      // Telemetry on (the default): every getter counts its evaluation. A second client with
      // telemetry off gives the rows without counting, in the same process.
      const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0, events: false });
      const quiet = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0, events: false, telemetry: false });
      await client.init();
      await quiet.init();
      const bare = new Map<string, JsonValue>(Object.entries(client.getAllFlags()));
      const miss = randomKeys(flags, "any", 1).map((k) => `missing-${k}`);
      const booleans = randomKeys(flags, "boolean", 2);
      const strings = randomKeys(flags, "string", 3);
      const numbers = randomKeys(flags, "number", 4);
      const jsons = randomKeys(flags, "json", 5);
      const suffix = flags === 10_000 ? "" : `-${flags}`;
      const at = ` (${flags.toLocaleString("en")} flags)`;
      const cases: Case[] = [
        ["isEnabled-hit-no-telemetry", "isEnabled, existing key, telemetry off", booleans, "s.isEnabled(k, false)", "s.get(k) ?? false", quiet],
        ["getString-hit-no-telemetry", "getString, existing key, telemetry off", strings, 's.getString(k, "d")', 's.get(k) ?? "d"', quiet],
        ["isEnabled-hit", "isEnabled, existing key", booleans, "s.isEnabled(k, false)", "s.get(k) ?? false", client],
        ["isEnabled-miss", "isEnabled, missing key", miss, "s.isEnabled(k, false)", "s.get(k) ?? false", client],
        ["getValue-hit", "getValue, existing key, default of its type", strings, 's.getValue(k, "d")', 's.get(k) ?? "d"', client],
        ["getValue-miss", "getValue, missing key", miss, 's.getValue(k, "d")', 's.get(k) ?? "d"', client],
        ["getString-hit", "getString, existing key", strings, 's.getString(k, "d")', 's.get(k) ?? "d"', client],
        ["getString-miss", "getString, missing key", miss, 's.getString(k, "d")', 's.get(k) ?? "d"', client],
        ["getNumber-hit", "getNumber, existing key", numbers, "s.getNumber(k, 0)", "s.get(k) ?? 0", client],
        ["getNumber-miss", "getNumber, missing key", miss, "s.getNumber(k, 0)", "s.get(k) ?? 0", client],
        ["getJson-hit", "getJson, existing key", jsons, "s.getJson(k, DEFAULT)", "s.get(k) ?? DEFAULT", client],
        ["getJson-miss", "getJson, missing key", miss, "s.getJson(k, DEFAULT)", "s.get(k) ?? DEFAULT", client],
      ];
      for (const [id, label, keys, candidateExpression, limitExpression, candidateSubject] of cases) {
        // Fresh loops per case: dedicated call sites, as in an application's own code.
        const candidate: Loop = dedicatedLoop(candidateExpression.replace("DEFAULT", "globalThis.DEFAULT"));
        const limit: Loop = dedicatedLoop(limitExpression.replace("DEFAULT", "globalThis.DEFAULT"));
        const result = compareLoops(rounds, iterations, { loop: limit, subject: bare, keys }, { loop: candidate, subject: candidateSubject, keys });
        rows.push({ id: `${id}${suffix}`, label: `${label}${at}`, unit: "ns", candidate: result.candidateNs, limit: { label: "Map.get", value: result.limitNs }, target: 1.3 });
      }
      await client.close();
      await quiet.close();
      await server.close();
    }
    return rows;
  },
};

export default subject;
