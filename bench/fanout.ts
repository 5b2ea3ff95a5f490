import { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import type { SnapshotStore } from "../src/client/snapshot-store";
import type { FlagSnapshot } from "../src/snapshot/flag-snapshot";
import type { FlagState } from "../src/snapshot/flag-state";
import { median } from "./measure";

/**
 * The cost of applying a snapshot in which one flag changed, with 10,000 `flag$` subscribers on
 * *other* flags versus none. The snapshot is applied through the client's own store (the path a
 * fetch takes after the network), so the figure is the client's work, not the network's.
 */
export async function benchFanout(server: RollgateServer, keys: readonly string[], watchers: number) {
  const measure = async (subscribeOthers: boolean) => {
    const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0 });
    await client.init();
    const store = Reflect.get(client, "store") as SnapshotStore;
    const target = keys[0]!;
    let emissions = 0;
    client.flag$(target).subscribe(() => emissions++);
    if (subscribeOthers) for (let i = 1; i <= watchers; i++) client.flag$(keys[i % keys.length]!).subscribe();
    const base = store.current;
    const flipped = (on: boolean): FlagSnapshot => {
      const flags = new Map<string, FlagState>(base.flags);
      flags.set(target, { type: "boolean", enabled: on, value: on, reason: { kind: "FALLTHROUGH", inRollout: on } });
      return { ...base, flags };
    };
    const on = flipped(true);
    const off = flipped(false);
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const next = i % 2 === 0 ? off : on;
      const start = process.hrtime.bigint();
      store.apply(next);
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    await client.close();
    if (emissions < 100) throw new Error("the watched flag did not change");
    return median(samples.slice(50));
  };
  const aloneUs = await measure(false);
  const crowdedUs = await measure(true);
  const aloneUs2 = await measure(false);
  const limitUs = Math.min(aloneUs, aloneUs2);
  return { limitUs, candidateUs: crowdedUs, ratio: crowdedUs / limitUs };
}
