import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { RollgateServer } from "rollgate/server";
import { clientFor, startTestServer } from "../support/test-client";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Active handles and requests, by type (sockets, timers, ...), ignoring jest's own. */
function activeResources(): string[] {
  return process.getActiveResourcesInfo().filter((type) => type !== "Timeout" && type !== "TTYWrap");
}

describe("create / init / close cycles", () => {
  let server: RollgateServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("keep the heap and the open handles stable over 1,000 cycles", async () => {
    const cycle = async () => {
      const client = clientFor(server, { enableStreaming: true });
      const subscription = client.flag$("theme").subscribe();
      client.on("error", () => {});
      await client.init();
      await client.close();
      subscription.unsubscribe();
    };
    for (let i = 0; i < 100; i++) await cycle();
    server.clearReceived();
    const resourcesBefore = activeResources().length;
    const heapBefore = settledHeap();
    for (let i = 0; i < 1_000; i++) await cycle();
    server.clearReceived();
    await server.waitFor((s) => s.streamCount === 0, 5_000);
    const heapAfter = settledHeap();
    const growth = heapAfter - heapBefore;
    // A leak of even one client per cycle (hundreds of KiB each) would show as tens of MiB.
    expect(growth).toBeLessThan(4 * 1024 * 1024);
    expect(activeResources().length).toBeLessThanOrEqual(resourcesBefore);
  }, 120_000);
});
