import { RollgateClient } from "rollgate";
import { keysOfKind } from "../bench-flags";
import { compareLoops, dedicatedAsyncLoop, dedicatedLoop, median } from "../measure";
import { launchDarkly, openFeature, unleash } from "../support/other-sdks";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 10_000;

/**
 * A boolean read in each comparison SDK (1,024 flags, all on) next to rollgate's `isEnabled`,
 * each against a bare `Map.get` in the same process. No targets: these rows are the README's
 * comparison, reproducible by anyone.
 */
const subject: BenchSubject = {
  name: "getters-other-sdks",
  async run({ quick }) {
    const server = await startServerProcess(FLAGS);
    const keys = keysOfKind(FLAGS, "boolean", 1024);
    const bare = new Map<string, boolean>(keys.map((k) => [k, true]));
    const rollgate = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0 });
    await rollgate.init();
    const ld = await launchDarkly(keys);
    const un = await unleash(keys, `${server.url}/unleash`);
    const of = await openFeature(keys);
    const probe = keys[0]!;
    if (!rollgate.isEnabled(probe, false) || !un.isEnabled(probe) || !(await ld.client.variation(probe, ld.context, false)) || !(await of.getBooleanValue(probe, false))) {
      throw new Error("a comparison SDK does not serve the bench flags");
    }
    const rounds = quick ? 3 : 7;
    const syncIterations = quick ? 200_000 : 1_000_000;
    const asyncIterations = quick ? 5_000 : 20_000;
    const rows: BenchRow[] = [];
    const sync = (id: string, label: string, target: unknown, expression: string) => {
      const r = compareLoops(rounds, syncIterations, { loop: dedicatedLoop("s.get(k) ?? false"), subject: bare, keys }, { loop: dedicatedLoop(expression), subject: target, keys });
      rows.push({ id, label, unit: "ns", candidate: r.candidateNs, limit: { label: "Map.get", value: r.limitNs } });
    };
    const asyncRow = async (id: string, label: string, target: unknown, expression: string) => {
      const loop = dedicatedAsyncLoop(expression);
      const limit = dedicatedLoop("s.get(k) ?? false");
      const candidates: number[] = [];
      const limits: number[] = [];
      await loop(target, keys, asyncIterations);
      for (let r = 0; r < rounds; r++) {
        limits.push(limit(bare, keys, syncIterations));
        candidates.push(await loop(target, keys, asyncIterations));
      }
      rows.push({ id, label, unit: "ns", candidate: median(candidates), limit: { label: "Map.get", value: median(limits) } });
    };
    sync("rollgate-isEnabled", "rollgate isEnabled (sync)", rollgate, "s.isEnabled(k, false)");
    sync("unleash-isEnabled", "unleash-client isEnabled (sync, bootstrap)", un, "s.isEnabled(k)");
    await asyncRow("launchdarkly-variation", "LaunchDarkly variation (await, TestData)", ld, "s.client.variation(k, s.context, false)");
    await asyncRow("openfeature-getBooleanValue", "OpenFeature getBooleanValue (await, InMemoryProvider)", of, "s.getBooleanValue(k, false)");
    await rollgate.close();
    ld.client.close();
    un.destroy();
    await server.close();
    return rows;
  },
};

export default subject;
