import { EventSource } from "eventsource";
import { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { Agent, fetch as undiciFetch, request } from "undici";
import { percentile } from "./measure";

const KEY = "flag-00000";

/**
 * Latency from an admin change on the local server to the new value being usable, over `changes`
 * changes: rollgate's `flag$` emission versus the bare limit, a plain `eventsource` client that on
 * each event issues one undici GET of the v2 flags and parses it. Rounds alternate between the
 * two so that both see the same machine state.
 */
export async function benchSseLatency(server: RollgateServer, changes: number, rounds = 10) {
  let value = 0;
  const change = () => {
    value++;
    server.setFlag({ key: KEY, enabled: true, rolloutPercentage: 100, variations: { v: value }, defaultVariation: "v" });
    return { value, start: performance.now() };
  };

  // The limit: eventsource + one GET per event.
  const agent = new Agent();
  let onBareValue: ((v: number) => void) | undefined;
  const bare = new EventSource(`${server.url}/api/v1/sdk/stream?token=${encodeURIComponent(server.apiKey)}`, {
    fetch: (url, init) => undiciFetch(url, { ...init, dispatcher: agent }),
  });
  bare.addEventListener("flag-changed", () => {
    void request(`${server.url}/api/v1/sdk/v2/flags`, { dispatcher: agent, headers: { authorization: `Bearer ${server.apiKey}` } })
      .then((response) => response.body.json())
      .then((body) => onBareValue?.((body as { flags: Record<string, { value: number }> }).flags[KEY]!.value));
  });
  await new Promise<void>((resolve) => bare.addEventListener("open", () => resolve(), { once: true }));

  // rollgate.
  const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, enableStreaming: true, cache: false, refreshInterval: 0 });
  let onClientValue: ((v: number) => void) | undefined;
  client.flag$(KEY, -1).subscribe((v) => onClientValue?.(v));
  await client.init();
  while (client.getStatus().stream !== "open") await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 200));

  const measureOne = (listen: (callback: (v: number) => void) => void) =>
    new Promise<number>((resolve) => {
      let target = { value: 0, start: 0 };
      listen((v) => {
        if (v === target.value) resolve(performance.now() - target.start);
      });
      target = change();
    });

  const bareMs: number[] = [];
  const clientMs: number[] = [];
  const perRound = Math.ceil(changes / rounds);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < perRound; i++) bareMs.push(await measureOne((cb) => (onBareValue = cb)));
    onBareValue = undefined;
    for (let i = 0; i < perRound; i++) clientMs.push(await measureOne((cb) => (onClientValue = cb)));
    onClientValue = undefined;
  }
  bare.close();
  await client.close();
  await agent.destroy();
  const summary = (samples: number[]) => ({ p50: percentile(samples, 50), p99: percentile(samples, 99), n: samples.length });
  const limit = summary(bareMs);
  const candidate = summary(clientMs);
  return { limit, candidate, ratioP50: candidate.p50 / limit.p50, ratioP99: candidate.p99 / limit.p99 };
}
