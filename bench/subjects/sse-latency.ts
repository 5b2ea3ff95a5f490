import { EventSource } from "eventsource";
import { RollgateClient } from "rollgate";
import { Agent, fetch as undiciFetch, request } from "undici";
import { benchKey } from "../bench-flags";
import { percentile, tick } from "../measure";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const KEY = benchKey(3);

/** Measures `changes` changes: from the change command to `listen`'s callback seeing the value. */
async function measure(server: ServerProcess, changes: number, next: () => number, listen: (callback: (v: number) => void) => void): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < changes; i++) {
    const value = next();
    const start = performance.now();
    await new Promise<void>((resolve) => {
      listen((v) => {
        if (v === value) resolve();
      });
      void server.change(KEY, value);
    });
    samples.push(performance.now() - start);
  }
  return samples;
}

/**
 * Latency from a change on the local server (another process) to the new value being usable:
 * rollgate's `flag$` emission versus a bare `eventsource` client that on each event issues one
 * undici GET of the v2 flags and parses it. Only one of the two is connected at a time, in
 * alternating rounds.
 */
const subject: BenchSubject = {
  name: "sse-latency",
  async run({ quick }) {
    const server = await startServerProcess(100);
    const rounds = quick ? 2 : 4;
    const perRound = quick ? 100 : 250;
    let value = 0;
    const next = () => ++value;
    const bareMs: number[] = [];
    const clientMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      {
        const agent = new Agent();
        let onValue: ((v: number) => void) | undefined;
        const bare = new EventSource(`${server.url}/api/v1/sdk/stream?token=${encodeURIComponent(server.apiKey)}`, {
          fetch: (url, init) => undiciFetch(url, { ...init, dispatcher: agent }),
        });
        bare.addEventListener("flag-changed", () => {
          void request(`${server.url}/api/v1/sdk/v2/flags`, { dispatcher: agent, headers: { authorization: `Bearer ${server.apiKey}` } })
            .then((response) => response.body.text())
            .then((text) => onValue?.((JSON.parse(text) as { flags: Record<string, { value: number }> }).flags[KEY]!.value));
        });
        await new Promise<void>((resolve) => bare.addEventListener("open", () => resolve(), { once: true }));
        await tick(50);
        bareMs.push(...(await measure(server, perRound, next, (cb) => (onValue = cb))));
        bare.close();
        await agent.destroy();
      }
      {
        const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, enableStreaming: true, cache: false, refreshInterval: 0 });
        let onValue: ((v: number) => void) | undefined;
        client.flag$(KEY, -1).subscribe((v) => onValue?.(v));
        await client.init();
        while (client.getStatus().stream !== "open") await tick(5);
        await tick(50);
        clientMs.push(...(await measure(server, perRound, next, (cb) => (onValue = cb))));
        await client.close();
      }
    }
    await server.close();
    const limitLabel = "eventsource + GET per event";
    const rows: BenchRow[] = [
      { id: "sse-p50", label: "SSE change → flag$, p50 (100 flags)", unit: "ms", candidate: percentile(clientMs, 50), limit: { label: limitLabel, value: percentile(bareMs, 50) }, target: 2 },
      { id: "sse-p99", label: "SSE change → flag$, p99", unit: "ms", candidate: percentile(clientMs, 99), limit: { label: limitLabel, value: percentile(bareMs, 99) }, target: 2 },
    ];
    return rows;
  },
};

export default subject;
