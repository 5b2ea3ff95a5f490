import { RollgateClient, type JsonValue } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { compare, consume } from "./measure";

/** isEnabled / getValue on hits and misses against a bare Map.get over the same values. */
export async function benchGetters(server: RollgateServer, keys: readonly string[]) {
  const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0 });
  await client.init();
  const bare = new Map<string, JsonValue>(Object.entries(client.getAllFlags()));
  const bareBool = new Map<string, boolean>([...bare].map(([k, v]) => [k, v === true]));
  const mask = keys.length - 1; // keys.length is a power of two
  const misses = keys.map((k) => `missing-${k}`);
  const rounds = 15;
  const iterations = 2_000_000;
  const results = {
    isEnabledHit: compare(rounds, iterations, (i) => consume(bareBool.get(keys[i & mask]!) ?? false), (i) => consume(client.isEnabled(keys[i & mask]!, false))),
    isEnabledMiss: compare(rounds, iterations, (i) => consume(bareBool.get(misses[i & mask]!) ?? false), (i) => consume(client.isEnabled(misses[i & mask]!, false))),
    getValueHit: compare(rounds, iterations, (i) => consume(bare.get(keys[i & mask]!) ?? "d"), (i) => consume(client.getValue(keys[i & mask]!, undefined))),
    getValueMiss: compare(rounds, iterations, (i) => consume(bare.get(misses[i & mask]!) ?? "d"), (i) => consume(client.getValue(misses[i & mask]!, "d"))),
  };
  await client.close();
  return results;
}
