/**
 * `getBooleanValue` through OpenFeature: rollgate's provider vs OpenFeature's own
 * `InMemoryProvider`, in the same process, with a cached context (the user's flags already
 * fetched). Self-contained: `node --expose-gc --import tsx bench/openfeature.ts`.
 *
 * Prints the median ns per call of several rounds for each provider, with and without a context,
 * and the ratios.
 */
import { InMemoryProvider, OpenFeature, type Client, type EvaluationContext } from "@openfeature/server-sdk";
import { RollgateClient, silentLogger } from "rollgate";
import { RollgateProvider } from "rollgate/openfeature";
import { startServer } from "rollgate/server";

const ROUNDS = 10;
const CALLS_PER_ROUND = 20_000;
const WARMUP_CALLS = 20_000;

const CONTEXT: EvaluationContext = { targetingKey: "user-1", plan: "pro", country: "DE" };

async function roundNsPerCall(client: Client, context: EvaluationContext | undefined): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS_PER_ROUND; i++) {
    if (!(await client.getBooleanValue("new-feature", false, context))) throw new Error("new-feature should be on");
  }
  return Number(process.hrtime.bigint() - start) / CALLS_PER_ROUND;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Rounds alternate between the two providers (and which goes first), so that a busy machine
 * slows both alike; the ratio is the median of each round's ratio.
 */
async function compare(ours: Client, theirs: Client, context: EvaluationContext | undefined): Promise<{ ours: number; theirs: number; ratio: number }> {
  for (let i = 0; i < WARMUP_CALLS; i++) {
    await ours.getBooleanValue("new-feature", false, context);
    await theirs.getBooleanValue("new-feature", false, context);
  }
  const oursNs: number[] = [];
  const theirsNs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.();
    const first = round % 2 === 0;
    const a = first ? await roundNsPerCall(ours, context) : 0;
    const b = await roundNsPerCall(theirs, context);
    const c = first ? a : await roundNsPerCall(ours, context);
    oursNs.push(c);
    theirsNs.push(b);
    ratios.push(c / b);
  }
  return { ours: median(oursNs), theirs: median(theirsNs), ratio: median(ratios) };
}

const server = await startServer({ flags: [{ key: "new-feature", enabled: true, rolloutPercentage: 100 }], port: 0, heartbeatInterval: 0, logger: silentLogger });
const rollgate = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, logger: silentLogger });
const provider = new RollgateProvider(rollgate);
await OpenFeature.setProviderAndWait("rollgate", provider);
await OpenFeature.setProviderAndWait(
  "in-memory",
  new InMemoryProvider({ "new-feature": { variants: { on: true, off: false }, defaultVariant: "on", disabled: false } }),
);

const rollgateClient = OpenFeature.getClient("rollgate");
const memoryClient = OpenFeature.getClient("in-memory");

const results: string[] = [];
for (const [label, context] of [
  ["cached context", CONTEXT],
  ["no context (default user)", undefined],
] as const) {
  const { ours, theirs, ratio } = await compare(rollgateClient, memoryClient, context);
  results.push(`getBooleanValue, ${label}: rollgate provider ${ours.toFixed(0)} ns/call, InMemoryProvider ${theirs.toFixed(0)} ns/call, ratio ${ratio.toFixed(2)}x`);
}
// The provider's own share: its resolve method called directly, without the SDK around it.
const direct: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS_PER_ROUND; i++) await provider.resolveBooleanEvaluation("new-feature", false, CONTEXT, silentLogger);
  direct.push(Number(process.hrtime.bigint() - start) / CALLS_PER_ROUND);
}
results.push(`RollgateProvider.resolveBooleanEvaluation alone, cached context: ${median(direct).toFixed(0)} ns/call`);
process.stdout.write(`OpenFeature (${ROUNDS} rounds of ${CALLS_PER_ROUND} calls, median)\n${results.join("\n")}\n`);

await OpenFeature.close();
await rollgate.close();
await server.close();
