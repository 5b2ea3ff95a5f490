import type { CacheStore, RollgateClient, RollgateOptions, RollgateUser } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { clientFor, flagRequests, startTestServer } from "../support/test-client";
import { VirtualClock } from "../support/virtual-clock";
import { VirtualNetwork } from "../support/virtual-network";

/**
 * A fleet sharing one store (a `shared: true` CacheStore, as RedisCacheStore is), in virtual time
 * and without Redis: when an instance serves another's entry as fresh, when it only serves it
 * stale, and how it waits for the instance holding the claim on a new user (issue 25: each test
 * fails on a mutant of src/scope/shared-store-read.ts that survived the rest of the suite).
 */

/** The fleet's store: one map of entries, seen by every instance. */
class FleetMemory {
  readonly entries = new Map<string, string>();
}

/** One instance's view of the fleet's store, with a scripted answer to `claim`. */
class FleetStore implements CacheStore {
  readonly shared = true;
  /** Virtual times of the calls to claim. */
  readonly claims: number[] = [];

  constructor(
    private readonly memory: FleetMemory,
    private readonly clock: VirtualClock,
    /** Whether the n-th claim (from 1) is granted. */
    private readonly grant: (n: number) => boolean = () => true,
  ) {}

  load(key: string): Promise<string | undefined> {
    return Promise.resolve(this.memory.entries.get(key));
  }

  save(key: string, data: string): Promise<void> {
    this.memory.entries.set(key, data);
    return Promise.resolve();
  }

  /** Keys removed through delete. */
  readonly deleted: string[] = [];

  claim(): Promise<boolean> {
    this.claims.push(this.clock.now);
    return this.grant(this.claims.length) ? Promise.resolve(true) : this.refusal;
  }

  delete(key: string): Promise<void> {
    this.deleted.push(key);
    this.memory.entries.delete(key);
    return Promise.resolve();
  }

  /** What a refused claim resolves (or rejects) with. */
  refusal: Promise<boolean> = Promise.resolve(false);
}

const PRO: RollgateUser = { id: "carol", attributes: { plan: "pro" } };

describe("per-request users over a fleet's shared store", () => {
  const suite = useClientSuite();
  const memory = () => new FleetMemory();

  interface Instance {
    readonly client: RollgateClient;
    readonly net: VirtualNetwork;
    readonly store: FleetStore;
    /** Flag requests this instance sent for PRO. */
    readonly asked: () => number[];
  }

  async function instance(fleet: FleetMemory, clock: VirtualClock, options: Partial<RollgateOptions> & { grant?: (n: number) => boolean } = {}): Promise<Instance> {
    const { grant, ...rest } = options;
    const net = new VirtualNetwork(clock);
    const store = new FleetStore(fleet, clock, grant);
    const client = suite.track(clientFor(suite.server, { scheduler: net.scheduler, dispatcher: net.dispatcher, refreshInterval: 30, cache: { store }, ...rest }), net);
    await client.init();
    const asked = () => net.flagRequests.filter((r) => r.query["user_id"] === PRO.id).map((r) => r.at);
    return { client, net, store, asked };
  }

  /** Instance `writer` fetches PRO and its entry lands in the store. */
  async function written(writer: Instance): Promise<void> {
    await writer.client.forUser(PRO);
    await writer.net.quiesce();
    expect(writer.asked()).toHaveLength(1);
  }

  it("serves another instance's entry younger than refreshInterval as fresh, without a request; at refreshInterval it asks Rollgate", async () => {
    const fleet = memory();
    const clock = new VirtualClock();
    await written(await instance(fleet, clock));

    await clock.advanceBy(29_999);
    const young = await instance(fleet, clock);
    const view = await young.client.forUser(PRO);
    expect({ source: view.source, stale: view.stale, theme: view.getString("theme", "none") }).toEqual({ source: "cache", stale: false, theme: "dark" });
    expect(young.asked()).toEqual([]);
    // Asked for again: judged by the entry's own age, still fresh.
    expect(await young.client.forUser(PRO)).toBe(view);
    await young.net.quiesce();
    expect(young.asked()).toEqual([]);

    await clock.advanceBy(1);
    const old = await instance(fleet, clock);
    const refetched = await old.client.forUser(PRO);
    expect({ source: refetched.source, stale: refetched.stale }).toEqual({ source: "server", stale: false });
    expect(old.asked()).toEqual([30_000]);
  });

  it("serves an entry that is not fresh, stale, while Rollgate does not answer", async () => {
    const fleet = memory();
    const clock = new VirtualClock();
    await written(await instance(fleet, clock));
    await clock.advanceBy(31_000);
    const reader = await instance(fleet, clock, { timeout: 2, retry: { maxRetries: 0 } });
    suite.server.faults.failFlags({ status: 503, count: "all" });
    const answer = reader.client.forUser(PRO);
    await reader.net.advance(2_000, 100);
    const view = await answer;
    expect({ source: view.source, stale: view.stale, theme: view.getString("theme", "none") }).toEqual({ source: "cache", stale: true, theme: "dark" });
  });

  it("judges only an entry's age by the clocks: from a clock ahead by less than refreshInterval it is fresh, by refreshInterval or more it is not", async () => {
    const fleet = memory();
    const ahead = new VirtualClock();
    const behind = new VirtualClock();
    await ahead.advanceBy(40_000);
    await behind.advanceBy(10_001);
    await written(await instance(fleet, ahead));

    // Written 29,999 ms "in the future": believed (clocks differ), served fresh without a request.
    const near = await instance(fleet, behind);
    const view = await near.client.forUser(PRO);
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "cache", stale: false });
    expect(near.asked()).toEqual([]);

    // 30,000 ms ahead (refreshInterval): not believed, asked again.
    const far = new VirtualClock();
    await far.advanceBy(10_000);
    const doubting = await instance(fleet, far);
    const refetched = await doubting.client.forUser(PRO);
    expect({ source: refetched.source, stale: refetched.stale }).toEqual({ source: "server", stale: false });
    expect(doubting.asked()).toEqual([10_000]);
  });

  it("with a store that keeps no change generation, serves the fleet's entries as fresh only until a change is announced here", async () => {
    const fleet = memory();
    const clock = new VirtualClock();
    const reader = await instance(fleet, clock);
    await written(await instance(fleet, clock));
    expect((await reader.client.forUser(PRO)).source).toBe("cache");
    expect(reader.asked()).toEqual([]);

    const other = await instance(fleet, clock);
    await clock.advanceBy(5_000);
    // refresh() announces a change to every per-request user of `other` at 5,000.
    await other.client.refresh();
    await clock.advanceBy(1_000);
    // An entry written after the change is no proof for an instance that cannot tell when it was asked for.
    const after = await other.client.forUser(PRO);
    expect({ source: after.source, stale: after.stale }).toEqual({ source: "server", stale: false });
    expect(other.asked()).toEqual([6_000]);
  });

  it("waits for the result of the instance holding the claim on a new user, looking every 20 ms, and sends nothing", async () => {
    const fleet = memory();
    const clock = new VirtualClock();
    const waiter = await instance(fleet, clock, { grant: () => false });
    const writer = await instance(fleet, clock);
    const answer = waiter.client.forUser(PRO);
    await waiter.net.advance(100, 20);
    await written(writer);
    await waiter.net.advance(20);
    const view = await answer;
    expect({ source: view.source, stale: view.stale, theme: view.getString("theme", "none") }).toEqual({ source: "cache", stale: false, theme: "dark" });
    expect(waiter.asked()).toEqual([]);
    expect(waiter.store.claims).toEqual([0]);
  });

  it("claims a new user again when a claim runs out without a result (2 s at most), and fetches when it gets it", async () => {
    const fleet = memory();
    const clock = new VirtualClock();
    const waiter = await instance(fleet, clock, { timeout: 5, grant: (n) => n >= 2 });
    const answer = waiter.client.forUser(PRO);
    await waiter.net.advance(2_000, 20);
    const view = await answer;
    expect(view.source).toBe("server");
    expect(waiter.store.claims).toEqual([0, 2_000]);
    expect(waiter.asked()).toEqual([2_000]);
  });

  it("with every claim refused, claims again every 2 s and fetches itself at timeout, when the caller stops waiting", async () => {
    const fleet = memory();
    const clock = new VirtualClock();
    const waiter = await instance(fleet, clock, { timeout: 3, grant: () => false });
    // What the caller sees when its wait ends (the view is live: the fetch lands right after).
    const answer = waiter.client.forUser(PRO).then((view) => ({ source: view.source, stale: view.stale }));
    await waiter.net.advance(3_000, 20);
    expect(await answer).toEqual({ source: "defaults", stale: true });
    await waiter.net.quiesce();
    expect(waiter.store.claims).toEqual([0, 2_000]);
    expect(waiter.asked()).toEqual([3_000]);
  });

  it("fetches a new user itself when the store cannot tell who holds the claim (claim rejects)", async () => {
    const fleet = memory();
    const clock = new VirtualClock();
    const waiter = await instance(fleet, clock, { grant: () => false });
    waiter.store.refusal = Promise.reject(new Error("the store is down"));
    waiter.store.refusal.catch(() => undefined);
    const view = await waiter.client.forUser(PRO);
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "server", stale: false });
    expect(waiter.asked()).toEqual([0]);
  });

  it("never removes the fleet's entries of users this instance forgets (users.maxUsers)", async () => {
    const fleet = memory();
    const clock = new VirtualClock();
    const small = await instance(fleet, clock, { users: { maxUsers: 1 } });
    for (const id of ["u1", "u2", "u3"]) await small.client.forUser({ id });
    await small.net.quiesce();
    expect(small.store.deleted).toEqual([]);
    // The default user's entry and the three users'.
    expect(fleet.entries.size).toBe(4);
  });

  it("tells the fleet when Rollgate confirmed a user's flags (304): other instances serve them fresh", async () => {
    const etags = await startTestServer({ v2ETag: true });
    const instances: Instance[] = [];
    try {
      const fleet = memory();
      const clock = new VirtualClock();
      const on = async () => {
        const made = await instance(fleet, clock, { baseUrl: etags.url, apiKey: etags.apiKey, users: { revalidate: "wait" } });
        instances.push(made);
        return made;
      };
      const writer = await on();
      await written(writer);
      await clock.advanceBy(31_000);
      await writer.client.forUser(PRO);
      await writer.net.quiesce();
      expect(writer.asked()).toEqual([0, 31_000]);
      expect(flagRequests(etags).filter((r) => r.query["user_id"] === PRO.id).map((r) => r.status)).toEqual([200, 304]);

      const reader = await on();
      const view = await reader.client.forUser(PRO);
      expect({ source: view.source, stale: view.stale }).toEqual({ source: "cache", stale: false });
      expect(reader.asked()).toEqual([]);
    } finally {
      for (const { client } of instances) await client.close();
      await etags.close();
    }
  });

  it("stops waiting for another instance's result at close(), without a request", async () => {
    const fleet = memory();
    const clock = new VirtualClock();
    const waiter = await instance(fleet, clock, { timeout: 5, grant: () => false });
    const answer = waiter.client.forUser(PRO);
    await waiter.net.advance(100, 20);
    await waiter.client.close();
    await waiter.net.advance(10_000, 20);
    expect((await answer).source).toBe("defaults");
    expect(waiter.store.claims).toEqual([0]);
    expect(waiter.asked()).toEqual([]);
  });
});
