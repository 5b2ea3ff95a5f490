/**
 * The cost of one test fixture that reads flags: a loopback server (start, client init, one
 * read, close both) against TestData (the same flags in-process). Interleaved rounds, medians.
 *
 * Run: node --expose-gc --import tsx bench/test-fixture.ts
 */
import { RollgateClient, silentLogger } from "rollgate";
import { readFlagsFile, startServer } from "rollgate/server";
import { TestData } from "rollgate/testing";
import { median } from "./measure";

const ROUNDS = 200;

async function main(): Promise<void> {
  const file = await readFlagsFile(new URL("../examples/flags.json", import.meta.url).pathname);
  const user = { id: "ann", attributes: { plan: "pro" } };

  async function loopback(): Promise<boolean> {
    const server = await startServer({ flags: file, heartbeatInterval: 0, logger: silentLogger });
    const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, logger: silentLogger, user });
    await client.init();
    const on = client.isEnabled("new-feature", false);
    await client.close();
    await server.close();
    return on;
  }

  async function inProcess(): Promise<boolean> {
    const td = new TestData(file);
    const client = new RollgateClient({ apiKey: "test", testData: td, logger: silentLogger, user });
    await client.init();
    const on = client.isEnabled("new-feature", false);
    await client.close();
    return on;
  }

  const time = async (fixture: () => Promise<boolean>): Promise<number> => {
    const start = performance.now();
    if (!(await fixture())) throw new Error("new-feature should be on");
    return performance.now() - start;
  };
  for (let i = 0; i < 20; i++) await Promise.all([time(loopback), time(inProcess)]);
  const servers: number[] = [];
  const testData: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    servers.push(await time(loopback));
    testData.push(await time(inProcess));
  }
  const [a, b] = [median(servers), median(testData)];
  process.stdout.write(`fixture (${file.flags.length} flags, start → init → read → close), median of ${ROUNDS}, node ${process.version}\n`);
  process.stdout.write(`  loopback server: ${a.toFixed(2)} ms\n  TestData:        ${b.toFixed(3)} ms  (${(a / b).toFixed(0)}× less)\n`);
}

void main();
