import { MemoryCacheStore, type CacheStore, type RollgateClient, type RollgateUser } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, startTestServer } from "../support/test-client";
import { eventually, settle, VirtualClock } from "../support/virtual-clock";

/**
 * A persisted-cache load that lands after identify() moved on to another user is dropped: the new
 * user never sees the previous user's cached flags (issue 25: fails on a mutant of
 * src/scope/user-scope.ts that survived the rest of the suite).
 */

/** user-target is on for this user only (the test flags target "user-9"). */
const TARGETED: RollgateUser = { id: "user-9" };

/** A MemoryCacheStore whose loads, while `holding`, each wait until the test releases them. */
class HeldLoads implements CacheStore {
  readonly loads: { readonly key: string; readonly release: () => void }[] = [];
  holding = false;

  constructor(private readonly memory: MemoryCacheStore) {}

  async load(key: string): Promise<string | undefined> {
    if (this.holding) await new Promise<void>((release) => this.loads.push({ key, release }));
    return this.memory.load(key);
  }

  save(key: string, data: string): Promise<void> {
    return this.memory.save(key, data);
  }
}

describe("a cache load that lands after the user changed again", () => {
  let server: RollgateServer;
  const clients: RollgateClient[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await server.close();
  });

  it("is dropped: the next user is never served the previous user's cached flags", async () => {
    const clock = new VirtualClock();
    const memory = new MemoryCacheStore();
    const writer = clientFor(server, { user: TARGETED, cache: { store: memory }, scheduler: clock.scheduler, refreshInterval: 0 });
    await writer.init();
    await writer.close();
    expect(writer.isEnabled("user-target", false)).toBe(true);

    const store = new HeldLoads(memory);
    const client = clientFor(server, { cache: { store }, scheduler: clock.scheduler, refreshInterval: 0 });
    clients.push(client);
    await client.init();
    store.holding = true;
    const first = client.identify(TARGETED);
    const second = client.identify({ id: "someone-else" });
    // Each identify() waits for its user's cache (virtual time stands still: no 1 s bound fires),
    // so the second user's flags are not fetched yet when the first user's cached flags land.
    await eventually(() => store.loads.length === 2, 2_000, "both users' cache loads");
    store.loads[0]?.release();
    for (let i = 0; i < 10; i++) await settle();
    expect({ source: client.getStatus().source, userTarget: client.isEnabled("user-target", false) }).toEqual({ source: "defaults", userTarget: false });

    store.loads[1]?.release();
    await Promise.all([first, second]);
    expect({ source: client.getStatus().source, userTarget: client.isEnabled("user-target", false) }).toEqual({ source: "server", userTarget: false });
  });
});
