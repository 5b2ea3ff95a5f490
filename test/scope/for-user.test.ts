import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { RollgateConfigError, type RollgateClient, type RollgateOptions, type RollgateUser } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, flagRequests, quiet, RecordingLogger, startTestServer } from "../support/test-client";
import { VirtualNetwork } from "../support/virtual-network";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * Per-request evaluation (issue 10): `forUser(user)` views against the local server, each user
 * with their own flags, sharing one client.
 */

const PRO: RollgateUser = { id: "user-1", attributes: { plan: "pro" } };
const FREE: RollgateUser = { id: "user-2", attributes: { plan: "free" } };
const TARGETED: RollgateUser = { id: "user-9" };

/** The parts of a user's flags that differ by user in the test flags. */
function profile(flags: { isEnabled(key: string, d: boolean): boolean; getString(key: string, d: string): string }) {
  return { pro: flags.isEnabled("pro-only", false), theme: flags.getString("theme", "none"), target: flags.isEnabled("user-target", false) };
}

/** The user id (`user_id`) of each flags request the server received. */
function requestedUsers(server: RollgateServer): (string | null)[] {
  return flagRequests(server).map((r) => r.query["user_id"] ?? null);
}

describe("forUser: flags for any user, concurrently", () => {
  let server: RollgateServer;
  const clients: RollgateClient[] = [];
  const nets: VirtualNetwork[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const net of nets.splice(0)) await net.close();
    await server.close();
  });

  function client(options: Partial<RollgateOptions> = {}): RollgateClient {
    const made = clientFor(server, options);
    clients.push(made);
    return made;
  }

  function virtual(options: Partial<RollgateOptions> = {}): { client: RollgateClient; net: VirtualNetwork } {
    const net = new VirtualNetwork();
    nets.push(net);
    return { client: client({ scheduler: net.scheduler, dispatcher: net.dispatcher, ...options }), net };
  }

  it("gives each user their own targeted flags and leaves the client's own flags alone", async () => {
    const c = client({ user: FREE });
    await c.init();
    const [pro, free, targeted] = await Promise.all([c.forUser(PRO), c.forUser(FREE), c.forUser(TARGETED)]);
    expect(profile(pro)).toEqual({ pro: true, theme: "dark", target: false });
    expect(profile(free)).toEqual({ pro: false, theme: "light", target: false });
    expect(profile(targeted)).toEqual({ pro: false, theme: "light", target: true });
    expect(pro.user).toEqual(PRO);
    expect(pro.isEnabledDetail("pro-only", false).reason).toEqual({ kind: "RULE_MATCH", ruleId: "pro-rule", ruleIndex: 0, inRollout: true });
    expect(pro.getValueDetail("theme", 1)).toEqual({ value: 1, reason: { kind: "ERROR", errorKind: "WRONG_TYPE" } });
    expect(pro.getAllFlags()).toMatchObject({ "pro-only": true, theme: "dark" });
    // The client's default user (FREE) is untouched by any of it.
    expect(profile(c)).toEqual({ pro: false, theme: "light", target: false });
    expect(c.getStatus()).toMatchObject({ source: "server", stale: false });
  });

  it("sends each user's context on one GET and no identify POST", async () => {
    const c = client();
    await c.init();
    server.clearReceived();
    await c.forUser({ id: "ctx-user", email: "ana@example.com", attributes: { plan: "pro", country: "PT" } });
    expect(requestedUsers(server)).toEqual(["ctx-user"]);
    expect(server.received.identifies).toHaveLength(0);
    const header = flagRequests(server)[0]!.headers["x-user-context"];
    expect(JSON.parse(Buffer.from(String(header), "base64").toString("utf8"))).toEqual({
      id: "ctx-user",
      email: "ana@example.com",
      attributes: { plan: "pro", country: "PT" },
    });
  });

  it("sends exactly one flags request for 100 concurrent calls for one new user", async () => {
    const c = client();
    await c.init();
    server.clearReceived();
    const views = await Promise.all(Array.from({ length: 100 }, () => c.forUser({ id: "new-user", attributes: { plan: "pro" } })));
    expect(flagRequests(server)).toHaveLength(1);
    expect(new Set(views).size).toBe(1);
    expect(views[0]!.isEnabled("pro-only", false)).toBe(true);
  });

  it("keys users by id, email and attributes: the same id with another plan is another user", async () => {
    const c = client();
    const asPro = await c.forUser({ id: "same", attributes: { plan: "pro" } });
    const asFree = await c.forUser({ id: "same", attributes: { plan: "free" } });
    expect(asPro.isEnabled("pro-only", false)).toBe(true);
    expect(asFree.isEnabled("pro-only", false)).toBe(false);
    expect(asPro).not.toBe(asFree);
  });

  it("is not changed by mutating the caller's user object afterwards", async () => {
    const c = client();
    const user = { id: "mutable", attributes: { plan: "pro" } as Record<string, string> };
    const view = await c.forUser(user);
    user.attributes.plan = "free";
    expect(view.user.attributes).toEqual({ plan: "pro" });
    expect(Object.isFrozen(view.user)).toBe(true);
  });

  it("rejects an invalid or oversized user with RollgateConfigError, before any request", async () => {
    const c = client();
    server.clearReceived();
    await expect(c.forUser({ id: "" })).rejects.toBeInstanceOf(RollgateConfigError);
    await expect(c.forUser(undefined as unknown as RollgateUser)).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(c.forUser({ id: "big", attributes: { blob: "x".repeat(20_000) } })).rejects.toMatchObject({ code: "CONFIG_INVALID", option: "user.attributes" });
    await expect(c.identify({ id: "big", attributes: { blob: "x".repeat(20_000) } })).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    expect(flagRequests(server)).toHaveLength(0);
  });

  it("serves a cached user without a request within refreshInterval, and refetches once after it", async () => {
    const { client: c, net } = virtual({ refreshInterval: 30 });
    await c.init();
    await c.forUser(PRO);
    const forPro = () => flagRequests(server).filter((r) => r.query["user_id"] === "user-1");
    await net.advance(29_000, 1_000);
    for (let i = 0; i < 10; i++) await c.forUser(PRO);
    expect(forPro()).toHaveLength(1);
    await net.advance(1_000);
    await Promise.all([c.forUser(PRO), c.forUser(PRO)]);
    await net.quiesce();
    expect(forPro()).toHaveLength(2);
  });

  it("brings an admin change to a cached user within refreshInterval + one request + the refetch (polling, background)", async () => {
    const { client: c, net } = virtual({ refreshInterval: 30 });
    await c.init();
    expect((await c.forUser(FREE)).isEnabled("new-feature", false)).toBe(true);
    server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    await net.advance(29_999, 1_000);
    expect((await c.forUser(FREE)).isEnabled("new-feature", true)).toBe(true);
    await net.advance(1);
    // Due: answered at once with what the user had, refetched behind the request.
    expect((await c.forUser(FREE)).isEnabled("new-feature", true)).toBe(true);
    await net.quiesce();
    expect((await c.forUser(FREE)).isEnabled("new-feature", true)).toBe(false);
  });

  it("brings an admin change to a cached user's next evaluation within refreshInterval + one fetch (polling, revalidate: wait)", async () => {
    const { client: c, net } = virtual({ refreshInterval: 30, users: { revalidate: "wait" } });
    await c.init();
    expect((await c.forUser(FREE)).isEnabled("new-feature", false)).toBe(true);
    server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    await net.advance(29_999, 1_000);
    expect((await c.forUser(FREE)).isEnabled("new-feature", true)).toBe(true);
    await net.advance(1);
    expect((await c.forUser(FREE)).isEnabled("new-feature", true)).toBe(false);
  });

  it("brings an admin change to every cached user's next evaluation within one fetch (streaming)", async () => {
    const c = client({ enableStreaming: true, refreshInterval: 3600 });
    await c.init();
    await server.waitFor((s) => s.streamCount > 0);
    const users = Array.from({ length: 50 }, (_, i) => ({ id: `streamed-${i}` }));
    await Promise.all(users.map((user) => c.forUser(user)));
    await quiet(server);
    server.clearReceived();
    server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    await quiet(server);
    // The signal alone fetches nobody's flags but the default user's: no storm.
    expect(requestedUsers(server).filter((id) => id !== null)).toEqual([]);
    // Each user's next request is answered at once with the flags they had, and refetches them.
    const before = await Promise.all(users.map((user) => c.forUser(user)));
    expect(before.every((view) => view.isEnabled("new-feature", false))).toBe(true);
    await quiet(server);
    const after = await Promise.all(users.map((user) => c.forUser(user)));
    expect(after.every((view) => !view.isEnabled("new-feature", true))).toBe(true);
    expect(requestedUsers(server).filter((id) => id !== null)).toHaveLength(50);
  });

  it("keeps a live flag$ on a view current (and its user in memory) without asking again", async () => {
    const { client: c, net } = virtual({ refreshInterval: 30, users: { maxUsers: 1 } });
    await c.init();
    const view = await c.forUser(PRO);
    const seen: boolean[] = [];
    const subscription = view.isEnabled$("new-feature", false).subscribe((on) => seen.push(on));
    await c.forUser(FREE); // over maxUsers: the subscribed user stays
    server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    await net.advance(31_000, 1_000);
    expect(seen).toEqual([true, false]);
    expect(await c.forUser(PRO)).toBe(view);
    subscription.unsubscribe();
  });

  describe("when Rollgate cannot be reached", () => {
    it("gives a never-seen user the defaults with an ERROR reason, a seen user their last flags marked stale, and opens the circuit", async () => {
      const { client: c, net } = virtual({ refreshInterval: 30 });
      await c.init();
      await c.forUser(PRO);
      server.faults.failFlags({ status: 503, count: "all" });
      await net.advance(31_000, 1_000);
      const pending = c.forUser(PRO);
      await net.advance(6_000, 250);
      const seen = await pending;
      expect(profile(seen)).toEqual({ pro: true, theme: "dark", target: false });
      expect(seen.stale).toBe(true);
      await net.advanceUntil(() => c.getCircuitState() === "open", { stepMs: 1_000, maxMs: 200_000, what: "the circuit to open" });

      const sent = net.sent.length;
      const at = net.now;
      const stranger = await c.forUser({ id: "never-seen", attributes: { plan: "pro" } });
      // Resolved at once, without a byte on the wire, with the caller's defaults.
      expect(net.now).toBe(at);
      expect(net.sent).toHaveLength(sent);
      expect(stranger.isEnabledDetail("pro-only", false)).toEqual({ value: false, reason: { kind: "ERROR", errorKind: "FLAGS_UNAVAILABLE" } });
      expect(stranger.getValue("theme", "fallback")).toBe("fallback");
      expect(stranger.getAllFlags()).toEqual({});
      expect(stranger.stale).toBe(true);
      expect(profile(await c.forUser(PRO))).toEqual({ pro: true, theme: "dark", target: false });
    });

    it("settles within timeout when the server hangs, whatever it does", async () => {
      const { client: c, net } = virtual({ timeout: 2 });
      server.faults.delay(600_000, { count: "all" });
      let settledAt = -1;
      const pending = c.forUser(PRO).then((view) => {
        settledAt = net.now;
        return view;
      });
      await net.advanceUntil(() => settledAt >= 0, { stepMs: 250, maxMs: 10_000, maxRealMsPerStep: 20, what: "forUser to settle" });
      expect(settledAt).toBe(2_000);
      const view = await pending;
      expect(view.isEnabledDetail("pro-only", false)).toEqual({ value: false, reason: { kind: "ERROR", errorKind: "FLAGS_UNAVAILABLE" } });
      expect(view.staleReason).toMatch(/did not answer within 2 s/);
    });
  });

  describe("bounds", () => {
    it("keeps at most maxUsers users, drops idle ones, and leaves no timer per user", async () => {
      const { client: c, net } = virtual({ users: { maxUsers: 3, idleTimeout: 60 } });
      await c.init();
      for (let i = 0; i < 10; i++) await c.forUser({ id: `u-${i}` });
      const scopes = (c as unknown as { core: { users: { size: number } } }).core.users;
      expect(scopes.size).toBe(3);
      const requests = net.flagRequests.length;
      // The 3 most recent are kept: asking for them again costs nothing.
      for (const id of ["u-7", "u-8", "u-9"]) await c.forUser({ id });
      expect(net.flagRequests.length).toBe(requests);
      // An evicted one is fetched again.
      await c.forUser({ id: "u-0" });
      expect(net.flagRequests.length).toBe(requests + 1);
      // Idle users go on the next poll tick: no timer of their own.
      await net.advance(61_000, 30_000);
      expect(scopes.size).toBe(0);
    });

    it("counts the evaluations of users it dropped, and watches the flags of no more users than it keeps", async () => {
      const { client: c } = virtual({ users: { maxUsers: 3, idleTimeout: 60 } });
      await c.init();
      const flagKey = Object.keys(c.getAllFlags())[0]!;
      for (let i = 0; i < 10; i++) (await c.forUser({ id: `u-${i}` })).isEnabled(flagKey, false);
      const evaluations = (c as unknown as { core: { evaluations: { watchedStores: number } } }).core.evaluations;
      // The client's own store and the 3 users kept.
      expect(evaluations.watchedStores).toBe(4);
      expect(c.getTelemetryStats()!.pendingEvaluations).toBe(10);
      await c.close();
      expect(evaluations.watchedStores).toBe(0);
    });

    it("holds the heap flat through 50,000 distinct users with maxUsers 1,000", async () => {
      const logger = new RecordingLogger();
      const c = client({ users: { maxUsers: 1_000 }, logger, circuitBreaker: { failureThreshold: 1, resetTimeout: 3_600 } });
      // With the circuit open no request leaves, so this measures the scopes themselves.
      server.faults.failFlags({ status: 503, count: 1 });
      await c.forUser({ id: "opens-the-circuit" });
      expect(c.getCircuitState()).toBe("open");
      const heap = () => {
        for (let i = 0; i < 3; i++) gc();
        return process.memoryUsage().heapUsed;
      };
      for (let i = 0; i < 1_000; i++) await c.forUser({ id: `warm-${i}`, attributes: { plan: "pro", n: i } });
      const before = heap();
      for (let i = 0; i < 50_000; i++) await c.forUser({ id: `user-${i}`, attributes: { plan: "pro", n: i } });
      const after = heap();
      const scopes = (c as unknown as { core: { users: { size: number } } }).core.users;
      expect(scopes.size).toBe(1_000);
      // 1,000 users replaced 50 times over: growth stays far below one user's worth per user seen.
      expect(after - before).toBeLessThan(8 * 1024 * 1024);
    });

    it("does not write per-request users to the persistent cache unless users.persist asks", async () => {
      const { MemoryCacheStore } = await import("rollgate");
      const saved: string[] = [];
      const store = new MemoryCacheStore();
      const recording = { load: (key: string) => store.load(key), save: (key: string, data: string) => (saved.push(key), store.save(key, data)) };
      const quietClient = client({ cache: { store: recording } });
      await quietClient.init();
      await quietClient.forUser(PRO);
      await quietClient.close();
      expect(saved).toHaveLength(1); // the default (anonymous) user's only

      saved.length = 0;
      const persisting = client({ cache: { store: recording }, users: { persist: true, maxUsers: 2 } });
      for (const id of ["p-1", "p-2", "p-3", "p-4"]) await persisting.forUser({ id });
      await persisting.close();
      expect(new Set(saved).size).toBe(4);
    });
  });

  it("answers from memory after close(), without a request", async () => {
    const c = client();
    await c.forUser(PRO);
    await c.close();
    server.clearReceived();
    expect(profile(await c.forUser(PRO))).toEqual({ pro: true, theme: "dark", target: false });
    expect((await c.forUser({ id: "late" })).isEnabled("new-feature", false)).toBe(false);
    expect(flagRequests(server)).toHaveLength(0);
  });
});
