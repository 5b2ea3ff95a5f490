import { RollgateClient, type JsonValue } from "rollgate";
import { settledHeap, tick } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 10_000;

/**
 * Heap retained by a client: its fixed cost (a client holding no flags) and its cost per flag
 * (10,000 flags minus none), against a bare `Map` built from the same served values. The
 * total row counts the fixed cost, as an application pays it.
 */
const subject: BenchSubject = {
  name: "memory",
  async run() {
    const empty = await startServerProcess(0);
    const full = await startServerProcess(FLAGS);
    const options = { cache: false, refreshInterval: 0 } as const;
    // A first client warms up module-level state (interned reasons, compiled code) for both.
    const warm = new RollgateClient({ apiKey: full.apiKey, baseUrl: full.url, ...options });
    await warm.init();
    const text = JSON.stringify(Object.entries(warm.getAllFlags()));
    await warm.close();

    // The fixed cost is small next to the heap's noise: measured over 20 clients holding no flags.
    const base = settledHeap();
    const nones: RollgateClient[] = [];
    for (let i = 0; i < 20; i++) {
      const none = new RollgateClient({ apiKey: empty.apiKey, baseUrl: empty.url, ...options });
      await none.init();
      nones.push(none);
    }
    const fixed = (settledHeap() - base) / nones.length;
    await tick(50);
    const withEmpty = settledHeap();
    const client = new RollgateClient({ apiKey: full.apiKey, baseUrl: full.url, ...options });
    await client.init();
    // What the request left in flight (its socket's buffers, the response's stream) settles first.
    await tick(50);
    const withFull = settledHeap();
    if (Object.keys(client.getAllFlags()).length !== FLAGS) throw new Error("flags missing");
    await client.close();
    for (const none of nones) await none.close();

    await tick(50);
    const before = settledHeap();
    const bare = new Map<string, JsonValue>(JSON.parse(text) as [string, JsonValue][]);
    const mapBytes = settledHeap() - before;
    if (bare.size !== FLAGS) throw new Error("map short");
    await empty.close();
    await full.close();

    const perFlag = (withFull - withEmpty) / FLAGS;
    const rows: BenchRow[] = [
      { id: "heap-fixed", label: "heap, client fixed cost (no flags; mean of 20)", unit: "KiB", candidate: fixed / 1024 },
      { id: "heap-per-flag", label: "heap per flag", unit: "B", candidate: perFlag, limit: { label: "bare Map, per value", value: mapBytes / FLAGS }, target: 2 },
      { id: "heap-total", label: "heap, client with 10,000 flags (fixed included)", unit: "KiB", candidate: (fixed + (withFull - withEmpty)) / 1024, limit: { label: "bare Map of the values", value: mapBytes / 1024 }, target: 2 },
    ];
    return rows;
  },
};

export default subject;
