/**
 * µs per call of decoding a new user's 100-flag v2 body (another user's flags as `previous`, as
 * the transport's memo passes them), against `JSON.parse` + a bare `Map` build of the same body:
 * `node --expose-gc --import tsx bench/profile/decode-only.ts [n]`.
 */
import { Agent, request } from "undici";
import { decodeV2Flags } from "../../src/transport/decode-flags";
import { startServerProcess } from "../support/server-process";

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? "20000");
  const server = await startServerProcess(100);
  const agent = new Agent();
  const texts: string[] = [];
  for (const [id, plan] of [["user-a", "pro"], ["user-b", "free"]] as const) {
    const user = { id, attributes: { plan, country: "PT" } };
    const response = await request(`${server.url}/api/v1/sdk/v2/flags`, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${server.apiKey}`, "x-user-context": Buffer.from(JSON.stringify(user)).toString("base64") },
      query: { user_id: id },
    });
    texts.push(await response.body.text());
  }
  await agent.close();
  await server.close();
  let previous = decodeV2Flags(JSON.parse(texts[0]!), "GET");
  const bare = (i: number): void => {
    const parsed = JSON.parse(texts[i & 1]!) as { flags: Record<string, unknown> };
    const map = new Map<string, unknown>();
    for (const key in parsed.flags) map.set(key, parsed.flags[key]);
  };
  const decode = (i: number): void => {
    previous = decodeV2Flags(JSON.parse(texts[i & 1]!), "GET", previous);
  };
  const round = (body: (i: number) => void): number => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) body(i);
    return Number(process.hrtime.bigint() - start) / n / 1000;
  };
  round(bare);
  round(decode);
  // Alternating rounds, so that what disturbs the shared machine falls on both.
  const bares: number[] = [];
  const decodes: number[] = [];
  for (let r = 0; r < 15; r++) {
    bares.push(round(bare));
    decodes.push(round(decode));
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const extra = bares.map((b, r) => decodes[r]! - b);
  process.stdout.write(`JSON.parse + Map ${median(bares).toFixed(2)} µs; + decodeV2Flags ${median(decodes).toFixed(2)} µs; decode beyond the Map: ${median(extra).toFixed(2)} µs median [${Math.min(...extra).toFixed(2)}–${Math.max(...extra).toFixed(2)}]\n`);
}

void main();
