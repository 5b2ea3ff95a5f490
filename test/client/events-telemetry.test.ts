import type { RollgateOptions } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { useClientSuite } from "../support/client-suite";

/**
 * Conversion events and evaluation telemetry through the client and its `forUser` views (issue
 * 11), against the local server's received log. The parts are tested on their own in
 * test/events and test/telemetry.
 */
describe("events and telemetry through the client", () => {
  const suite = useClientSuite();
  const virtual = (options: Partial<RollgateOptions> = {}) => suite.virtual(options);

  const deliveries = (s: RollgateServer) => s.received.requests.filter((r) => r.path === "/api/v1/sdk/events" || r.path === "/api/v1/sdk/telemetry");

  it("counts evaluations of the client's getters and of every forUser view, and sends them after telemetry.flushInterval", async () => {
    const { client, net } = virtual();
    await client.init();
    for (let i = 0; i < 4; i++) client.isEnabled("new-feature", false);
    const view = await client.forUser({ id: "u-1", attributes: { plan: "pro" } });
    for (let i = 0; i < 3; i++) view.isEnabled("new-feature", false);
    // A typed flag that is off serves the caller's default: counted as false.
    for (let i = 0; i < 3; i++) client.getString("disabled-string", "d");
    view.getValue("results-per-page", 10);
    client.isEnabled("not-a-flag", false); // unknown flags count nothing
    expect(client.getTelemetryStats()?.evaluations).toEqual({
      "new-feature": { total: 7, true: 7, false: 0 },
      "disabled-string": { total: 3, true: 0, false: 3 },
      "results-per-page": { total: 1, true: 1, false: 0 },
    });
    await net.advance(60_000, 5_000);
    expect(suite.server.received.telemetry).toHaveLength(1);
    const [body] = suite.server.received.telemetry;
    expect(body!.evaluations).toEqual({
      "new-feature": { total: 7, true: 7, false: 0 },
      "disabled-string": { total: 3, true: 0, false: 3 },
      "results-per-page": { total: 1, true: 1, false: 0 },
    });
    expect(Number.isInteger(body!.period_ms)).toBe(true);
    expect(client.getStatus().telemetry).toMatchObject({ sentPeriods: 1, sentEvaluations: 11, pendingEvaluations: 0 });
  });

  it("7 true and 3 false of one flag arrive as {total:10,true:7,false:3}", async () => {
    const { client } = virtual();
    await client.init();
    suite.server.setFlag({ key: "half", enabled: true, rolloutPercentage: 100 });
    await client.refresh();
    for (let i = 0; i < 7; i++) client.isEnabled("half", false);
    suite.server.setFlag({ key: "half", enabled: false, rolloutPercentage: 100 });
    await client.refresh();
    for (let i = 0; i < 3; i++) client.isEnabledDetail("half", true);
    await client.flushTelemetry();
    expect(suite.server.received.telemetry.at(-1)!.evaluations["half"]).toEqual({ total: 10, true: 7, false: 3 });
  });

  it("sends tracked events with the view's user, in order, on close()", async () => {
    const { client } = virtual();
    await client.init();
    const view = await client.forUser({ id: "buyer-7" });
    expect(view.track({ flagKey: "new-feature", eventName: "purchase", value: 29.99, metadata: { currency: "EUR" } })).toBe(true);
    expect(client.track({ flagKey: "new-feature", eventName: "signup", userId: "user-1" })).toBe(true);
    expect(client.getStatus().events).toMatchObject({ queued: 2, sent: 0 });
    await client.close();
    expect(suite.server.received.events.map((e) => [e["eventName"], e["userId"]])).toEqual([
      ["purchase", "buyer-7"],
      ["signup", "user-1"],
    ]);
    expect(suite.server.received.events[0]).toMatchObject({ flagKey: "new-feature", value: 29.99, metadata: { currency: "EUR" } });
    expect(String(suite.server.received.events[0]!["timestamp"])).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(client.getStatus().events).toMatchObject({ queued: 0, sent: 2, dropped: 0 });
  });

  it("refuses an invalid event without throwing", async () => {
    const { client } = virtual();
    expect(client.track({ flagKey: "", eventName: "x", userId: "u" })).toBe(false);
    expect(client.track({ flagKey: "f", eventName: "x", userId: "u", value: Number.NaN })).toBe(false);
    expect(client.getStatus().events).toMatchObject({ invalid: 2, queued: 0 });
  });

  it("sends nothing at all with events: false and telemetry: false", async () => {
    const { client, net } = virtual({ events: false, telemetry: false });
    await client.init();
    client.isEnabled("new-feature", false);
    expect(client.track({ flagKey: "new-feature", eventName: "purchase", userId: "u" })).toBe(false);
    await client.flushEvents();
    await client.flushTelemetry();
    await net.advance(120_000, 30_000);
    await client.close();
    expect(deliveries(suite.server)).toEqual([]);
    expect(client.getStatus()).toMatchObject({ events: undefined, telemetry: undefined });
    expect(client.getTelemetryStats()).toBeUndefined();
  });

  it("sends nothing while the circuit is open, and delivers after it closes", async () => {
    const { client, net } = virtual({ circuitBreaker: { failureThreshold: 1, resetTimeout: 10 }, retry: { maxRetries: 0 } });
    await client.init();
    suite.server.faults.failFlags({ status: 503, count: 1 });
    await client.refresh();
    expect(client.getCircuitState()).toBe("open");
    client.track({ flagKey: "new-feature", eventName: "purchase", userId: "u" });
    await client.flushEvents();
    expect(suite.server.received.events).toHaveLength(0);
    await net.advanceUntil(() => client.getCircuitState() === "closed", { stepMs: 1_000, maxMs: 120_000, what: "the circuit to close" });
    await client.flushEvents();
    expect(suite.server.received.events).toHaveLength(1);
  });
});
