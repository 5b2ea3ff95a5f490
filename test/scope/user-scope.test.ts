import type { RollgateUser } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { eventually } from "../support/virtual-clock";

/**
 * What a user's scope tells about flags it could not get: a long Retry-After, an open circuit,
 * a flag missing from server flags, the client before init(), and stale episodes (issue 25: each
 * test fails on a mutant of src/scope/user-scope.ts that survived the rest of the suite).
 */

const FREE: RollgateUser = { id: "user-2", attributes: { plan: "free" } };
const UNAVAILABLE = { kind: "ERROR", errorKind: "FLAGS_UNAVAILABLE" };

describe("a user's scope when flags cannot be had", () => {
  const suite = useClientSuite();

  it("sends no request for a new user while Rollgate's Retry-After runs, and says why", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 0, retry: { maxRetries: 0 } });
    await client.init();
    suite.server.faults.failFlags({ status: 429, retryAfter: 120, count: 1 });
    await client.forUser({ id: "a" });
    const sent = net.flagRequests.length;
    const waiting = await client.forUser({ id: "b", attributes: { plan: "pro" } });
    expect(net.flagRequests).toHaveLength(sent);
    expect(waiting.stale).toBe(true);
    expect(waiting.staleReason).toBe("Rollgate asked to wait (Retry-After 120 s); no flags request is sent before then.");
    expect(waiting.isEnabledDetail("pro-only", false)).toEqual({ value: false, reason: UNAVAILABLE });
  });

  it("says the circuit is open, and keeps the failure that opened it as the last error", async () => {
    const { client } = suite.virtual({ refreshInterval: 0, retry: { maxRetries: 0 }, circuitBreaker: { failureThreshold: 1, resetTimeout: 3_600 } });
    await client.init();
    suite.server.faults.failFlags({ status: 503, count: "all" });
    await client.refresh();
    expect(client.getCircuitState()).toBe("open");
    const opened = client.getStatus().lastError;
    expect(opened?.code).not.toBe("CIRCUIT_OPEN");
    await client.refresh();
    expect(client.getStatus().lastError).toBe(opened);
    expect(client.getStatus().staleReason).toBe("The circuit breaker is open; serving the last flags.");

    const stranger = await client.forUser({ id: "stranger" });
    expect(stranger.staleReason).toBe("The circuit breaker is open; serving the last flags.");
    expect(stranger.isEnabledDetail("new-feature", false)).toEqual({ value: false, reason: UNAVAILABLE });
  });

  it("reports a stale episode once, however many fetches fail in it", async () => {
    const { client } = suite.virtual({ refreshInterval: 0, retry: { maxRetries: 0 } });
    await client.init();
    const reasons: string[] = [];
    client.on("stale", (event) => reasons.push(event.reason));
    suite.server.faults.failFlags({ status: 503, count: 3 });
    for (let i = 0; i < 3; i++) await client.refresh();
    expect(reasons).toHaveLength(1);
    await client.refresh();
    expect(client.getStatus().stale).toBe(false);
  });

  it("answers a flag missing from a known user's server flags as unknown, even after a refetch failed", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, retry: { maxRetries: 0 }, users: { revalidate: "wait" } });
    await client.init();
    await client.forUser(FREE);
    await net.advance(31_000, 1_000);
    suite.server.faults.failFlags({ status: 503, count: 1 });
    const view = await client.forUser(FREE);
    expect({ source: view.source, stale: view.stale }).toEqual({ source: "server", stale: true });
    expect(view.isEnabledDetail("no-such-flag", true)).toEqual({ value: true, reason: { kind: "UNKNOWN" } });
    expect(view.getString("theme", "none")).toBe("light");
  });

  it("completes a user's live flag$ at close(), and the view keeps answering from its last flags", async () => {
    const { client } = suite.virtual();
    await client.init();
    const view = await client.forUser(FREE);
    let completed = false;
    view.isEnabled$("new-feature", false).subscribe({ complete: () => (completed = true) });
    await client.close();
    expect(completed).toBe(true);
    expect(view.isEnabled("new-feature", false)).toBe(true);
  });

  it("sends a new user's fetch, which somebody waits for, before a known user's background refetch when connections are short", async () => {
    const { client, net } = suite.virtual({ connections: 1, refreshInterval: 30 });
    await client.init();
    await client.forUser(FREE);
    await net.advance(31_000, 1_000);
    const sent = net.flagRequests.length;
    suite.server.faults.delay(300, { count: 1 });
    const blocker = client.forUser({ id: "blocker" });
    await eventually(() => net.flagRequests.length === sent + 1, 2_000, "the first request to hold the connection");
    await client.forUser(FREE);
    const waiting = client.forUser({ id: "new" });
    await Promise.all([blocker, waiting]);
    await net.quiesce();
    expect(net.flagRequests.slice(sent).map((r) => r.query["user_id"])).toEqual(["blocker", "new", "user-2"]);
  });

  it("says the flags are stale, and why, from the moment identify() switches users until the new user's arrive", async () => {
    const { client } = suite.virtual({ user: { id: "first" }, refreshInterval: 0 });
    await client.init();
    const seen: string[] = [];
    client.status$.subscribe(({ source, stale, staleReason }) => seen.push(`${source}${stale ? ` (stale: ${staleReason})` : ""}`));
    await client.identify({ id: "second" });
    expect(seen.filter((label, i) => i === 0 || seen[i - 1] !== label)).toEqual(["server", "defaults (stale: The user changed; the new user's flags have not arrived yet.)", "server"]);
  });

  it("answers a new user's flags as not ready, not unavailable, while they are fetched after the previous user's failed", async () => {
    const { client } = suite.virtual({ user: { id: "first" }, refreshInterval: 0, retry: { maxRetries: 0 } });
    suite.server.faults.failFlags({ status: 503, count: 1 });
    await client.init();
    expect(client.isEnabledDetail("new-feature", false).reason).toEqual(UNAVAILABLE);
    const reasons: unknown[] = [];
    let switching = false;
    client.status$.subscribe(({ staleReason }) => {
      if (switching && staleReason?.startsWith("The user changed") === true) reasons.push(client.isEnabledDetail("new-feature", false).reason);
    });
    switching = true;
    await client.identify({ id: "second" });
    expect(reasons).toEqual([{ kind: "ERROR", errorKind: "CLIENT_NOT_READY" }]);
    expect(client.isEnabled("new-feature", false)).toBe(true);
  });

  it("keeps the stream's refusal of the key as the last error", async () => {
    const { client } = suite.virtual({ enableStreaming: true });
    suite.server.faults.refuseStreams({ status: 401, count: "all" });
    await client.init();
    await eventually(() => client.getStatus().stream === "stopped", 5_000, "the stream to stop");
    expect(client.getStatus().lastError?.code).toBe("AUTH_FAILED");
  });

  it("answers every flag as not ready before init()", async () => {
    const client = suite.client();
    expect(client.isEnabledDetail("new-feature", false)).toEqual({ value: false, reason: { kind: "ERROR", errorKind: "CLIENT_NOT_READY" } });
    await client.init();
    expect(client.isEnabledDetail("no-such-flag", false)).toEqual({ value: false, reason: { kind: "UNKNOWN" } });
  });
});
