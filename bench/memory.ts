import { RollgateClient, type JsonValue } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { settledHeap } from "./measure";

/**
 * Heap retained by a client holding `count` flags versus a bare Map holding the same values.
 * Both are measured as the growth over an empty baseline, keys included.
 */
export async function benchMemory(server: RollgateServer, emptyServer: RollgateServer, count: number) {
  const emptyClient = new RollgateClient({ apiKey: emptyServer.apiKey, baseUrl: emptyServer.url, cache: false, refreshInterval: 0 });
  await emptyClient.init();
  const before = settledHeap();
  const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0 });
  await client.init();
  const withClient = settledHeap();
  // Only text survives into the second measurement, so the Map's keys and values are built fresh.
  const text = JSON.stringify(Object.entries(client.getAllFlags()));
  await client.close();
  await emptyClient.close();
  const clientBytes = withClient - before;

  const before2 = settledHeap();
  const bare = new Map<string, JsonValue>(JSON.parse(text) as [string, JsonValue][]);
  const withMap = settledHeap();
  const mapBytes = withMap - before2;
  if (bare.size !== count) throw new Error(`expected ${count} flags, got ${bare.size}`);
  return { flags: count, clientBytes, mapBytes, ratio: clientBytes / mapBytes };
}
