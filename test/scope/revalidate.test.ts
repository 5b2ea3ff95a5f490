import type { RollgateClient, RollgateUser, UserFlags } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { RecordingLogger } from "../support/test-client";
import { eventually } from "../support/virtual-clock";
import type { VirtualNetwork } from "../support/virtual-network";

/**
 * Issue 20: a known user never waits. Stale-while-revalidate (`users.revalidate`, `users.maxStale`),
 * what a view says while it serves due flags, the bounded admission queue (`users.maxPending`) and
 * the pacing of refetches after a change, in virtual time against the local server.
 */

const FREE: RollgateUser = { id: "user-2", attributes: { plan: "free" } };
const OFF = { key: "new-feature", enabled: false, rolloutPercentage: 100 };

/** The flag requests the client sent for one user. */
function requestsFor(net: VirtualNetwork, id: string) {
  return net.flagRequests.filter((r) => r.query["user_id"] === id);
}

describe("forUser: stale-while-revalidate", () => {
  const suite = useClientSuite();

  async function knownUserAfter(client: RollgateClient, net: VirtualNetwork, ms: number) {
    await client.init();
    const view = await client.forUser(FREE);
    expect(view.isEnabled("new-feature", false)).toBe(true);
    suite.server.setFlag(OFF);
    await net.advance(ms, 1_000);
    return view;
  }

  it("answers a known user's due flags at once, refetches them once behind the request, and the same view serves the new flags when they land", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30 });
    const view = await knownUserAfter(client, net, 31_000);
    const before = requestsFor(net, "user-2").length;
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.forUser(FREE)));
    // Resolved with the flags the user had: the request did not wait for the refetch.
    expect(answers.every((answer) => answer === view && answer.isEnabled("new-feature", false))).toBe(true);
    expect(view.stale).toBe(false);
    await net.quiesce();
    expect(requestsFor(net, "user-2").length).toBe(before + 1);
    expect(view.isEnabled("new-feature", true)).toBe(false);
    expect(view.stale).toBe(false);
    // Fresh again: no request for the next refreshInterval.
    await client.forUser(FREE);
    await net.quiesce();
    expect(requestsFor(net, "user-2").length).toBe(before + 1);
  });

  it("says stale, and why, while a due refetch is pending past timeout, and fresh again when it lands", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, timeout: 2 });
    const view = await knownUserAfter(client, net, 31_000);
    suite.server.faults.delay(600_000, { count: 1 });
    expect((await client.forUser(FREE)).isEnabled("new-feature", false)).toBe(true);
    await net.advance(1_750, 250, 20);
    expect(view.stale).toBe(false);
    await net.advance(250, 250, 20);
    expect(view.stale).toBe(true);
    expect(view.staleReason).toMatch(/did not answer within 2 s/);
    expect(view.isEnabled("new-feature", false)).toBe(true);
    // The attempt timed out (sent, unanswered): its retry is answered.
    await net.advance(1_000, 50);
    expect(view.stale).toBe(false);
    expect(view.staleReason).toBeUndefined();
    expect(view.isEnabled("new-feature", true)).toBe(false);
  });

  it("says stale when a live user's paced refetch, already running when they are asked for, is pending past timeout", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, timeout: 2 });
    await client.init();
    const view = await client.forUser(FREE);
    const subscription = view.isEnabled$("new-feature", false).subscribe();
    suite.server.setFlag(OFF);
    suite.server.faults.delay(600_000, { count: "all" });
    const before = requestsFor(net, "user-2").length;
    // The poll tick at 30 s refetches the live user (paced), and the server holds it.
    await net.advance(31_000, 1_000);
    expect(requestsFor(net, "user-2").length).toBe(before + 1);
    expect((await client.forUser(FREE)).isEnabled("new-feature", false)).toBe(true);
    expect(requestsFor(net, "user-2").length).toBe(before + 1);
    await net.advance(1_750, 250, 20);
    expect(view.stale).toBe(false);
    await net.advance(250, 250, 20);
    expect(view.stale).toBe(true);
    expect(view.staleReason).toMatch(/did not answer within 2 s/);
    suite.server.faults.clear();
    await net.advanceUntil(() => !view.stale, { stepMs: 500, maxMs: 30_000, what: "the refetch answered" });
    expect(view.isEnabled("new-feature", true)).toBe(false);
    subscription.unsubscribe();
  });

  it("joins a live user's running paced refetch even when half of users.maxPending is taken: stale past timeout", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, timeout: 2, users: { maxPending: 2 } });
    await client.init();
    const view = await client.forUser(FREE);
    const subscription = view.isEnabled$("new-feature", false).subscribe();
    suite.server.setFlag(OFF);
    suite.server.faults.delay(600_000, { count: "all" });
    await net.advance(31_000, 1_000);
    // The paced refetch is running and held: 1 of 2 pending, no room for a new background refetch.
    expect((await client.forUser(FREE)).isEnabled("new-feature", false)).toBe(true);
    await net.advance(1_750, 250, 20);
    expect(view.stale).toBe(false);
    await net.advance(250, 250, 20);
    expect(view.stale).toBe(true);
    expect(view.staleReason).toMatch(/did not answer within 2 s/);
    subscription.unsubscribe();
  });

  it("says stale, with the server's answer, when a due refetch failed, and tries again at the next request", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30 });
    const view = await knownUserAfter(client, net, 31_000);
    suite.server.faults.failFlags({ status: 400, message: "bad request for this user", count: 1 });
    await client.forUser(FREE);
    await net.quiesce();
    expect(view.stale).toBe(true);
    expect(view.staleReason).toMatch(/400/);
    expect(view.isEnabled("new-feature", false)).toBe(true);
    await client.forUser(FREE);
    await net.quiesce();
    expect(view.stale).toBe(false);
    expect(view.isEnabled("new-feature", true)).toBe(false);
  });

  it("waits for flags older than users.maxStale, as for a new user", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, users: { maxStale: 60 } });
    await knownUserAfter(client, net, 60_000);
    expect((await client.forUser(FREE)).isEnabled("new-feature", true)).toBe(false);
  });

  it("lets a user past users.maxStale join the due refetch already pending, also when asked for again meanwhile: answered at its deadline", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, timeout: 5, users: { maxStale: 60 } });
    await client.init();
    const view = await client.forUser(FREE);
    await net.advance(56_000, 1_000);
    suite.server.faults.delay(600_000, { count: "all" });
    // Due: served at once and refetched behind the request (the server holds it); asked again 2 s later.
    expect(await client.forUser(FREE)).toBe(view);
    await net.advance(2_000, 250, 20);
    expect(await client.forUser(FREE)).toBe(view);
    await net.advance(2_500, 250, 20);
    // Past maxStale: this caller waits for the refetch, until its deadline (5 s after it started).
    let answered: string | undefined;
    const waiting = client.forUser(FREE).then((v) => (answered = v.staleReason));
    await net.advance(500, 250, 20);
    expect(answered).toMatch(/did not answer within 5 s/);
    await waiting;
  });

  it("waits for due flags with users.revalidate: wait", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, users: { revalidate: "wait" } });
    await knownUserAfter(client, net, 31_000);
    expect((await client.forUser(FREE)).isEnabled("new-feature", true)).toBe(false);
  });

  it("after a change is announced, serves a known user's next request the old value once, then the new one", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 3_600 });
    await knownUserAfter(client, net, 0);
    await client.refresh();
    expect((await client.forUser(FREE)).isEnabled("new-feature", true)).toBe(true);
    await net.quiesce();
    expect((await client.forUser(FREE)).isEnabled("new-feature", true)).toBe(false);
  });

  it("keeps a known user's flags fresh while the stream is open (changes are announced): no refetch on refreshInterval", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 1, enableStreaming: true });
    await client.init();
    await net.advanceUntil(() => client.getStatus().stream === "open", { stepMs: 100, maxMs: 10_000, maxRealMsPerStep: 20, what: "the stream to open" });
    await net.advance(100, 100, 50); // the refetch a (re)connected stream makes
    await client.forUser(FREE);
    const before = requestsFor(net, "user-2").length;
    for (let i = 0; i < 5; i++) {
      await net.advance(1_000, 1_000, 20);
      await client.forUser(FREE);
    }
    await net.quiesce(50);
    expect(requestsFor(net, "user-2").length).toBe(before);
    suite.server.setFlag(OFF);
    // The default user is refetched on the signal; per-request users when next asked for.
    await eventually(() => !client.isEnabled("new-feature", true), 5_000, "the change signal");
    await client.forUser(FREE);
    await net.quiesce();
    expect(requestsFor(net, "user-2").length).toBe(before + 1);
  });

  it("uses the time the flags were asked for, not answered: a change announced while a fetch was in flight makes them due", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 3_600 });
    await client.init();
    suite.server.faults.delay(100, { count: 1 });
    const first = client.forUser(FREE);
    await client.refresh(); // announced while the user's fetch is in flight
    await first;
    const before = requestsFor(net, "user-2").length;
    await client.forUser(FREE);
    await net.quiesce();
    expect(requestsFor(net, "user-2").length).toBe(before + 1);
  });
});

describe("forUser: the bounded admission queue (users.maxPending)", () => {
  const suite = useClientSuite();

  it("answers a user it would wait for at once past maxPending: defaults, stale, overloaded; counted, logged once, info on recovery", async () => {
    const logger = new RecordingLogger();
    const { client } = suite.virtual({ users: { maxPending: 2 }, logger });
    await client.init();
    suite.server.faults.delay(300, { count: 2 });
    const waiting = [client.forUser({ id: "a" }), client.forUser({ id: "b" })];
    const shed = await client.forUser({ id: "c", attributes: { plan: "pro" } });
    expect(shed.stale).toBe(true);
    expect(shed.staleReason).toMatch(/^overloaded: more than users.maxPending \(2\)/);
    expect(shed.isEnabledDetail("pro-only", false)).toEqual({ value: false, reason: { kind: "ERROR", errorKind: "FLAGS_UNAVAILABLE" } });
    expect(client.getStatus().users).toEqual({ overloaded: true, shed: 1 });
    await client.forUser({ id: "d" });
    expect(client.getStatus().users).toEqual({ overloaded: true, shed: 2 });
    expect(logger.messages.filter((m) => /overloaded/.test(m.message))).toHaveLength(1);
    expect(logger.messages.find((m) => /overloaded/.test(m.message))?.level).toBe("warn");

    const served = await Promise.all(waiting);
    expect(served.map((view) => view.stale)).toEqual([false, false]);
    expect(client.getStatus().users).toEqual({ overloaded: false, shed: 2 });
    expect(logger.messages.filter((m) => m.level === "info" && /recovered from overload; 2 calls/.test(m.message))).toHaveLength(1);
    // The queue has room again: the shed user waits for their flags.
    const again = await client.forUser({ id: "c", attributes: { plan: "pro" } });
    expect(again).toBe(shed);
    expect(again.stale).toBe(false);
    expect(again.isEnabled("pro-only", false)).toBe(true);
    expect(client.getCircuitState()).toBe("closed");
    expect(client.getStatus().lastError).toBeUndefined();
  });

  it("leaves half of maxPending to new users: a due known user is served what they have, refetched when there is room", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, users: { maxPending: 2 } });
    await client.init();
    await client.forUser(FREE);
    await net.advance(31_000, 1_000);
    suite.server.faults.delay(300, { count: 1 });
    const waiting = client.forUser({ id: "new" });
    const before = requestsFor(net, "user-2").length;
    const known = await client.forUser(FREE);
    expect(known.stale).toBe(false);
    expect(client.getStatus().users.shed).toBe(0);
    await waiting;
    await net.quiesce();
    expect(requestsFor(net, "user-2").length).toBe(before);
    await client.forUser(FREE);
    await net.quiesce();
    expect(requestsFor(net, "user-2").length).toBe(before + 1);
  });
});

describe("forUser: pacing after a change", () => {
  const suite = useClientSuite();

  it("refreshes users with live flag$ subscribers at most 4 at once, and nobody else until asked", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 3_600 });
    await client.init();
    const live = Array.from({ length: 12 }, (_, i) => ({ id: `live-${i}` }));
    const idle = Array.from({ length: 12 }, (_, i) => ({ id: `idle-${i}` }));
    const subscriptions = [];
    const liveViews: UserFlags[] = [];
    for (const user of live) {
      const view = await client.forUser(user);
      liveViews.push(view);
      subscriptions.push(view.isEnabled$("new-feature", false).subscribe());
    }
    for (const user of idle) await client.forUser(user);
    const sentBefore = net.flagRequests.length;
    const liveSent = () => net.flagRequests.slice(sentBefore).filter((r) => String(r.query["user_id"]).startsWith("live-")).length;
    suite.server.setFlag(OFF);
    suite.server.faults.delay(30, { count: "all" });
    const refreshing = client.refresh();
    // Sampled in real time while the (real) responses come back: never more than 4 users at once
    // (plus the default user's own fetch).
    let most = 0;
    await eventually(() => {
      most = Math.max(most, net.inFlight);
      return liveSent() === 12 && net.inFlight === 0;
    }, 10_000, "the live users' refetches");
    await refreshing;
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(5);
    expect(net.flagRequests.slice(sentBefore).filter((r) => String(r.query["user_id"]).startsWith("idle-"))).toHaveLength(0);
    // Each answer is decoded and applied in an event-loop turn of its own after it came in.
    await eventually(() => liveViews.every((view) => !view.isEnabled("new-feature", true)), 5_000, "the live users' new flags applied");
    for (const user of live) expect((await client.forUser(user)).isEnabled("new-feature", true)).toBe(false);
    for (const subscription of subscriptions) subscription.unsubscribe();
  });
});
