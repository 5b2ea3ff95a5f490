import { RollgateClient, type JsonValue } from "rollgate";
import { keysOfKind } from "../bench-flags";
import { compareLoops, dedicatedLoop, type Loop } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 10_000;

/**
 * Every typed getter, with a real default of the flag's type, against a bare `Map.get` of the
 * served values with the same default; evaluation telemetry on (the default), and off for two
 * rows. Each getter and each limit runs in its own loop.
 */
const subject: BenchSubject = {
  name: "getters",
  async run({ quick }) {
    const server = await startServerProcess(FLAGS);
    // Telemetry on (the default): every getter counts its evaluation. A second client with
    // telemetry off gives the rows without counting, in the same process.
    const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0, events: false });
    const quiet = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0, events: false, telemetry: false });
    await client.init();
    await quiet.init();
    const bare = new Map<string, JsonValue>(Object.entries(client.getAllFlags()));
    const any = keysOfKind(FLAGS, "any", 8192);
    const miss = any.map((k) => `missing-${k}`);
    const booleans = keysOfKind(FLAGS, "boolean", 2048);
    const strings = keysOfKind(FLAGS, "string", 1024);
    const numbers = keysOfKind(FLAGS, "number", 1024);
    const jsons = keysOfKind(FLAGS, "json", 1024);
    const cases: [id: string, label: string, keys: string[], candidate: string, limit: string, subject?: RollgateClient][] = [
      ["isEnabled-hit-no-telemetry", "isEnabled, existing key, telemetry off", booleans, "s.isEnabled(k, false)", "s.get(k) ?? false", quiet],
      ["getString-hit-no-telemetry", "getString, existing key, telemetry off", strings, 's.getString(k, "d")', 's.get(k) ?? "d"', quiet],
      ["isEnabled-hit", "isEnabled, existing key", booleans, "s.isEnabled(k, false)", "s.get(k) ?? false"],
      ["isEnabled-miss", "isEnabled, missing key", miss, "s.isEnabled(k, false)", "s.get(k) ?? false"],
      ["getValue-hit", "getValue, existing key, default of its type", strings, 's.getValue(k, "d")', 's.get(k) ?? "d"'],
      ["getValue-miss", "getValue, missing key", miss, 's.getValue(k, "d")', 's.get(k) ?? "d"'],
      ["getString-hit", "getString, existing key", strings, 's.getString(k, "d")', 's.get(k) ?? "d"'],
      ["getNumber-hit", "getNumber, existing key", numbers, "s.getNumber(k, 0)", "s.get(k) ?? 0"],
      ["getJson-hit", "getJson, existing key", jsons, "s.getJson(k, DEFAULT)", "s.get(k) ?? DEFAULT"],
      ["getJson-miss", "getJson, missing key", miss, "s.getJson(k, DEFAULT)", "s.get(k) ?? DEFAULT"],
    ];
    const rounds = quick ? 5 : 9;
    const iterations = quick ? 500_000 : 1_000_000;
    (globalThis as { DEFAULT?: unknown }).DEFAULT = Object.freeze({ limit: 0, on: false });
    const rows: BenchRow[] = [];
    for (const [id, label, keys, candidateExpression, limitExpression, subject = client] of cases) {
      // Fresh loops per case: dedicated call sites, as in an application's own code.
      const candidate: Loop = dedicatedLoop(candidateExpression.replace("DEFAULT", "globalThis.DEFAULT"));
      const limit: Loop = dedicatedLoop(limitExpression.replace("DEFAULT", "globalThis.DEFAULT"));
      const result = compareLoops(rounds, iterations, { loop: limit, subject: bare, keys }, { loop: candidate, subject, keys });
      rows.push({ id, label, unit: "ns", candidate: result.candidateNs, limit: { label: "Map.get", value: result.limitNs }, target: 2 });
    }
    await client.close();
    await quiet.close();
    await server.close();
    return rows;
  },
};

export default subject;
