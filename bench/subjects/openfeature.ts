import { InMemoryProvider, OpenFeature, type Client, type EvaluationContext } from "@openfeature/server-sdk";
import { RollgateClient, silentLogger } from "rollgate";
import { RollgateProvider } from "rollgate/openfeature";
import { median } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAG = "flag-00000";
const CONTEXT: EvaluationContext = { targetingKey: "user-1", plan: "pro", country: "DE" };

async function nsPerCall(client: Client, context: EvaluationContext | undefined, calls: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    if (!(await client.getBooleanValue(FLAG, false, context))) throw new Error(`${FLAG} should be on`);
  }
  return Number(process.hrtime.bigint() - start) / calls;
}

/**
 * `getBooleanValue` through OpenFeature (issue 12): rollgate's provider against OpenFeature's own
 * `InMemoryProvider` holding the same flag, in the same process, with a cached context (the
 * user's flags already fetched) and without one. Rounds alternate between the two providers.
 */
const subject: BenchSubject = {
  name: "openfeature",
  async run({ quick }) {
    const server = await startServerProcess(10);
    const rollgate = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, logger: silentLogger, events: false, telemetry: false });
    await OpenFeature.setProviderAndWait("rollgate", new RollgateProvider(rollgate));
    await OpenFeature.setProviderAndWait("in-memory", new InMemoryProvider({ [FLAG]: { variants: { on: true, off: false }, defaultVariant: "on", disabled: false } }));
    const ours = OpenFeature.getClient("rollgate");
    const theirs = OpenFeature.getClient("in-memory");
    const calls = quick ? 5_000 : 20_000;
    const rows: BenchRow[] = [];
    for (const [id, label, context] of [
      ["openfeature-cached-context", "OpenFeature getBooleanValue, cached context", CONTEXT],
      ["openfeature-no-context", "OpenFeature getBooleanValue, no context", undefined],
    ] as const) {
      await nsPerCall(ours, context, calls);
      await nsPerCall(theirs, context, calls);
      const oursNs: number[] = [];
      const theirsNs: number[] = [];
      for (let round = 0; round < (quick ? 3 : 9); round++) {
        oursNs.push(await nsPerCall(ours, context, calls));
        theirsNs.push(await nsPerCall(theirs, context, calls));
      }
      rows.push({ id, label, unit: "ns", candidate: median(oursNs), limit: { label: "InMemoryProvider", value: median(theirsNs) } });
    }
    await OpenFeature.close();
    await rollgate.close();
    await server.close();
    return rows;
  },
};

export default subject;
