import type { CacheStore, RollgateClient, RollgateOptions, RollgateUser } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { clientFor } from "../support/test-client";
import { VirtualClock, eventually } from "../support/virtual-clock";
import { VirtualNetwork } from "../support/virtual-network";

/**
 * A per-request user's scope over a fleet's shared store (a `shared: true` CacheStore, as
 * RedisCacheStore is), in virtual time and without Redis: which flags it keeps when the store
 * offers others, how it judges what it took from the store, and what it writes back (issue 25:
 * each test fails on a mutant of src/scope/user-scope.ts that survived the rest of the suite).
 */

/** One instance's view of the fleet's store (one map shared by all), counting loads, with `onResumed`. */
class FleetStore implements CacheStore {
  readonly shared = true;
  loads = 0;
  private resumed: (() => void) | undefined;

  constructor(private readonly entries: Map<string, string>) {}

  /** While true, loads wait for `release()`. */
  hold = false;
  private held: (() => void)[] = [];

  async load(key: string): Promise<string | undefined> {
    this.loads++;
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    return this.entries.get(key);
  }

  release(): void {
    this.hold = false;
    for (const resume of this.held.splice(0)) resume();
  }

  save(key: string, data: string): Promise<void> {
    this.entries.set(key, data);
    return Promise.resolve();
  }

  onResumed(listener: () => void): () => void {
    this.resumed = listener;
    return () => (this.resumed = undefined);
  }

  /** The store is usable again after an outage. */
  resume(): void {
    this.resumed?.();
  }
}

const PRO: RollgateUser = { id: "carol", attributes: { plan: "pro" } };

interface Instance {
  readonly client: RollgateClient;
  readonly net: VirtualNetwork;
  readonly store: FleetStore;
  /** Virtual times of the flag requests this instance sent for PRO. */
  readonly asked: () => number[];
}

describe("a per-request user's scope over a fleet's shared store", () => {
  const suite = useClientSuite();

  async function instance(fleet: Map<string, string>, clock: VirtualClock, options: Partial<RollgateOptions> = {}): Promise<Instance> {
    const net = new VirtualNetwork(clock);
    const store = new FleetStore(fleet);
    const client = suite.track(clientFor(suite.server, { scheduler: net.scheduler, dispatcher: net.dispatcher, refreshInterval: 30, cache: { store }, ...options }), net);
    await client.init();
    const asked = () => net.flagRequests.filter((r) => r.query["user_id"] === PRO.id).map((r) => r.at);
    return { client, net, store, asked };
  }

  it("serves another instance's fresh entry again without reading the store again while it is fresh", async () => {
    const fleet = new Map<string, string>();
    const clock = new VirtualClock();
    const writer = await instance(fleet, clock);
    await writer.client.forUser(PRO);
    await writer.net.quiesce();
    clock.advanceBy(10_000);
    const reader = await instance(fleet, clock);
    const view = await reader.client.forUser(PRO);
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "cache", stale: false });
    const loads = reader.store.loads;
    clock.advanceBy(10_000);
    await reader.client.forUser(PRO);
    await reader.net.quiesce();
    expect(reader.store.loads).toBe(loads);
    expect(reader.asked()).toEqual([]);
  });

  it("keeps its own server flags over its own entry read back from the store (as old as them)", async () => {
    const fleet = new Map<string, string>();
    const clock = new VirtualClock();
    const own = await instance(fleet, clock, { retry: { maxRetries: 0 } });
    await own.client.forUser(PRO);
    await own.net.quiesce();
    clock.advanceBy(31_000);
    suite.server.faults.failFlags({ status: 503, count: "all" });
    const view = await own.client.forUser(PRO);
    await own.net.quiesce();
    expect(own.asked()).toEqual([0, 31_000]);
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "server", stale: true });
  });

  it("takes a newer entry another instance fetched over its own older server flags, without asking Rollgate", async () => {
    const fleet = new Map<string, string>();
    const clock = new VirtualClock();
    const own = await instance(fleet, clock);
    const view = await own.client.forUser(PRO);
    await own.net.quiesce();
    expect(view.isEnabled("new-feature", false)).toBe(true);

    clock.advanceBy(20_000);
    suite.server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    const other = await instance(fleet, clock);
    // refresh() announces a change there: the entry from 0 is not current for it, it asks Rollgate.
    await other.client.refresh();
    await other.client.forUser(PRO);
    await other.net.quiesce();
    expect(other.asked()).toEqual([20_000]);

    clock.advanceBy(11_000);
    await own.client.forUser(PRO);
    await own.net.quiesce();
    expect(own.asked()).toEqual([0]);
    expect({ source: view.source, stale: view.stale, newFeature: view.isEnabled("new-feature", true) }).toEqual({ source: "cache", stale: false, newFeature: false });
  });

  it("says an entry it took from the store is due while it asks Rollgate again", async () => {
    const fleet = new Map<string, string>();
    const clock = new VirtualClock();
    const writer = await instance(fleet, clock);
    await writer.client.forUser(PRO);
    await writer.net.quiesce();
    const reader = await instance(fleet, clock);
    const view = await reader.client.forUser(PRO);
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "cache", stale: false });

    clock.advanceBy(31_000);
    // Every flags request held (the writer's own poll, due too, would take a one-request delay),
    // and long enough that the check below runs while the refetch is in flight on a busy machine.
    suite.server.faults.delay(1_500, { count: "all" });
    await reader.client.forUser(PRO);
    await eventually(() => reader.asked().length === 1, 2_000, "the refetch to be sent");
    expect({ source: view.source, stale: view.stale, staleReason: view.staleReason }).toEqual({
      source: "cache",
      stale: true,
      staleReason: "Serving flags from the shared store that are due for a refresh, until Rollgate answers.",
    });
    suite.server.faults.clear();
    await eventually(() => view.source === "server", 6_000, "the refetch to land");
    expect(view.stale).toBe(false);
  });

  it("asks Rollgate again for an entry written before the one change announced here, served stale while Rollgate failed", async () => {
    const fleet = new Map<string, string>();
    const clock = new VirtualClock();
    const writer = await instance(fleet, clock);
    await writer.client.forUser(PRO);
    await writer.net.quiesce();
    const reader = await instance(fleet, clock, { retry: { maxRetries: 0 }, users: { revalidate: "wait" } });
    clock.advanceBy(5_000);
    await reader.client.refresh();
    suite.server.faults.failFlags({ status: 503, count: 1 });
    const view = await reader.client.forUser(PRO);
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "cache", stale: true });
    expect(reader.asked()).toEqual([5_000]);

    clock.advanceBy(1_000);
    await reader.client.forUser(PRO);
    expect(reader.asked()).toEqual([5_000, 6_000]);
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "server", stale: false });
  });

  it("writes every answer back, even the same flags, so that the fleet's entry says when Rollgate was last asked", async () => {
    const fleet = new Map<string, string>();
    const clock = new VirtualClock();
    const writer = await instance(fleet, clock, { users: { revalidate: "wait" } });
    await writer.client.forUser(PRO);
    await writer.net.quiesce();
    clock.advanceBy(31_000);
    await writer.client.forUser(PRO);
    await writer.net.quiesce();
    expect(writer.asked()).toEqual([0, 31_000]);

    // 24 s after the second answer (55 s after the first): fresh for another instance.
    clock.advanceBy(24_000);
    const reader = await instance(fleet, clock);
    const view = await reader.client.forUser(PRO);
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "cache", stale: false });
    expect(reader.asked()).toEqual([]);
  });

  it("writes back, when the store comes back from an outage, the users whose flags came from Rollgate, not the others", async () => {
    const fleet = new Map<string, string>();
    const clock = new VirtualClock();
    const only = await instance(fleet, clock, { retry: { maxRetries: 0 } });
    await only.client.forUser(PRO);
    suite.server.faults.failFlags({ status: 503, count: 1 });
    const failed = await only.client.forUser({ id: "nobody-answered" });
    expect(failed.source).toBe("defaults");
    await only.net.quiesce();
    expect(fleet.size).toBe(2);

    fleet.clear();
    only.store.resume();
    await only.net.quiesce();
    // The default user's entry and PRO's; none for the user Rollgate never answered for.
    expect(fleet.size).toBe(2);
  });
  it("changes nothing a view says after close(), when a read of the store lands after it", async () => {
    const fleet = new Map<string, string>();
    const clock = new VirtualClock();
    const own = await instance(fleet, clock, { retry: { maxRetries: 0 } });
    const view = await own.client.forUser(PRO);
    await own.net.quiesce();
    clock.advanceBy(31_000);
    suite.server.faults.failFlags({ status: 503, count: "all" });
    await own.client.forUser(PRO);
    await own.net.quiesce();
    suite.server.faults.clear();
    const reason = view.staleReason;
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "server", stale: true });

    // Another instance writes newer flags, which own would serve (stale) when it next reads them.
    clock.advanceBy(1_000);
    const other = await instance(fleet, clock);
    await other.client.forUser(PRO);
    await other.net.quiesce();
    expect(other.asked()).toEqual([32_000]);

    clock.advanceBy(31_000);
    own.store.hold = true;
    const loads = own.store.loads;
    await own.client.forUser(PRO);
    await eventually(() => own.store.loads > loads, 2_000, "the store to be read");
    await own.client.close();
    own.store.release();
    await own.net.quiesce();
    expect({ source: view.source, stale: view.stale, staleReason: view.staleReason }).toEqual({ source: "server", stale: true, staleReason: reason });
  });
});
