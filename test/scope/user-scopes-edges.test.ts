import { MemoryCacheStore, RollgateConfigError, type RollgateUser } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { flagRequests, RecordingLogger } from "../support/test-client";

/**
 * The per-request users as a whole: what they log, and what close() leaves them doing (issue 25:
 * each test fails on a mutant of src/scope/user-scopes.ts that survived the rest of the suite).
 */

describe("the per-request users", () => {
  const suite = useClientSuite();

  it("logs a user's failed fetch at debug only, with its reason: one outage must not warn once per user", async () => {
    const logger = new RecordingLogger();
    const contexts: unknown[] = [];
    const debug = logger.debug.bind(logger);
    logger.debug = (message: string, context?: Record<string, unknown>) => {
      if (message.startsWith("Fetching a user's flags failed")) contexts.push(context);
      debug(message);
    };
    const { client } = suite.virtual({ logger, retry: { maxRetries: 0 } });
    await client.init();
    suite.server.faults.failFlags({ status: 503, count: 1 });
    const view = await client.forUser({ id: "unlucky" });
    expect(view.stale).toBe(true);
    const about = logger.messages.filter((m) => m.message.startsWith("Fetching a user's flags failed"));
    expect(about).toEqual([{ level: "debug", message: `Fetching a user's flags failed: ${view.staleReason}` }]);
    expect(logger.messages.filter((m) => m.level === "warn" || m.level === "error")).toEqual([]);
    // With the error's stable code in the context, for the application's log filters.
    expect(contexts).toEqual([{ code: "SERVER_ERROR" }]);
  });

  it("with users.persist, serves a user this process never saw their cached flags while Rollgate is down", async () => {
    const store = new MemoryCacheStore();
    const writer = suite.client({ cache: { store }, users: { persist: true } });
    const user: RollgateUser = { id: "returning", attributes: { plan: "pro" } };
    expect((await writer.forUser(user)).isEnabled("pro-only", false)).toBe(true);
    await writer.close();
    suite.server.faults.failFlags({ status: 503, count: "all" });
    const client = suite.client({ cache: { store }, users: { persist: true }, retry: { maxRetries: 0 } });
    const view = await client.forUser(user);
    expect({ source: view.source, stale: view.stale, proOnly: view.isEnabled("pro-only", false) }).toEqual({ source: "cache", stale: true, proOnly: true });
  });

  it("serves a new user their own flags when every one of maxUsers users is pinned by a live flag$, keeps them all, and warns once", async () => {
    const logger = new RecordingLogger();
    const { client } = suite.virtual({ logger, users: { maxUsers: 1 } });
    await client.init();
    const pinned = await client.forUser({ id: "pinned" });
    const subscription = pinned.isEnabled$("pro-only", false).subscribe();
    // At maxUsers but nobody to make room for yet: nothing to warn about.
    expect(logger.messages.filter((m) => m.level === "warn")).toEqual([]);
    const requestsFor = (id: string) => flagRequests(suite.server).filter((r) => r.query["user_id"] === id);

    const pro = await client.forUser({ id: "newcomer", attributes: { plan: "pro" } });
    expect({ source: pro.source, stale: pro.stale, proOnly: pro.isEnabled("pro-only", false) }).toEqual({ source: "server", stale: false, proOnly: true });
    // Kept past maxUsers: asked for again, it is the same view, with no request.
    expect(await client.forUser({ id: "newcomer", attributes: { plan: "pro" } })).toBe(pro);
    expect(requestsFor("newcomer")).toHaveLength(1);
    await client.forUser({ id: "another" });
    expect(logger.messages.filter((m) => m.level === "warn")).toEqual([
      { level: "warn", message: "users.maxUsers (1) users have live flag$ subscribers: they are all kept until unsubscribed, and users.maxUsers is exceeded meanwhile." },
    ]);
    // The pinned user stays; the unpinned newcomer made way for "another".
    expect(await client.forUser({ id: "pinned" })).toBe(pinned);
    subscription.unsubscribe();
  });

  it("refetches a user with a live flag$ at a poll tick only once their flags are due, not while they are fresh", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30 });
    await client.init();
    const requests = () => net.flagRequests.filter((r) => r.query["user_id"] === "live").length;
    await net.advance(15_000, 1_000);
    const view = await client.forUser({ id: "live" });
    const subscription = view.isEnabled$("new-feature", false).subscribe();
    // The tick at 30 s finds them 15 s old: fresh, left alone.
    await net.advance(16_000, 1_000);
    await net.quiesce();
    expect(requests()).toBe(1);
    // The tick at 60 s finds them 45 s old: due, refetched without anyone asking.
    await net.advance(30_000, 1_000);
    await net.quiesce();
    expect(requests()).toBe(2);
    subscription.unsubscribe();
  });

  it("lets a user asked for again join their fetch that outlived the first caller's timeout, even at maxPending: no request, nobody shed", async () => {
    const { client, net } = suite.virtual({ timeout: 2, users: { maxPending: 1 } });
    await client.init();
    suite.server.faults.delay(600_000, { count: 1 });
    const user: RollgateUser = { id: "slow", attributes: { plan: "pro" } };
    const first = client.forUser(user);
    await net.advance(2_000, 250, 20);
    const waited = await first;
    expect(waited.staleReason).toMatch(/did not answer within 2 s/);
    // The fetch goes on (its timed-out attempt is retried): asking again waits for it.
    let answered: { stale: boolean; proOnly: boolean } | undefined;
    const again = client.forUser(user).then((view) => (answered = { stale: view.stale, proOnly: view.isEnabled("pro-only", false) }));
    await net.advance(1_000, 50);
    await again;
    expect(answered).toEqual({ stale: false, proOnly: true });
    expect(client.getStatus().users).toEqual({ overloaded: false, shed: 0 });
  });

  it("keys a user whose fields read differently the second time by what it validated: it never stands for an invalid user", async () => {
    const { client } = suite.virtual();
    await client.init();
    let reads = 0;
    // Say, a lazily loaded model: its first read fails, the next ones answer.
    const flaky = {
      id: "flaky",
      get attributes() {
        reads++;
        if (reads === 1) throw new Error("not loaded yet");
        return { plan: "pro" };
      },
    };
    const view = await client.forUser(flaky);
    expect(view.isEnabled("pro-only", false)).toBe(true);
    await expect(client.forUser({ id: "other", attributes: { score: Number.NaN } })).rejects.toBeInstanceOf(RollgateConfigError);
  });
});
