import type { Logger, RollgateClient, RollgateEventType, RollgateOptions } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { ProcessFailureSpy } from "../../support/process-failure-spy";
import { clientFor, RecordingLogger, startTestServer } from "../../support/test-client";
import { VirtualNetwork } from "../../support/virtual-network";

/**
 * No unhandled rejection or uncaught exception escapes from background work (polling, retries,
 * the breaker's timer, streaming, close), whether or not anyone listens to events, and a
 * logger or listener that throws is contained (issue 4, PROTOCOL.md §4.4).
 */

const EVERY_EVENT_TYPE: readonly RollgateEventType[] = [
  "ready",
  "flags-updated",
  "flag-changed",
  "error",
  "stale",
  "stream-status",
  "circuit-open",
  "circuit-half-open",
  "circuit-closed",
];

/** A logger whose every method throws; counts the calls so a test can show it was exercised. */
class ThrowingLogger implements Logger {
  calls = 0;
  debug(): void {
    this.fail();
  }
  info(): void {
    this.fail();
  }
  warn(): void {
    this.fail();
  }
  error(): void {
    this.fail();
  }
  private fail(): never {
    this.calls += 1;
    throw new Error("logger bug");
  }
}

describe("containment of failures in background work", () => {
  const spy = new ProcessFailureSpy();
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(() => spy.install());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    // Failures escaping from teardown count too: give late callbacks a moment to surface.
    await new Promise((resolve) => setTimeout(resolve, 20));
    spy.uninstall();
    expect(spy.failures).toEqual([]);
  });

  async function setup(options: Partial<RollgateOptions> = {}): Promise<{ server: RollgateServer; net: VirtualNetwork; client: RollgateClient }> {
    const server = await startTestServer();
    const net = new VirtualNetwork();
    const client = clientFor(server, { scheduler: net.scheduler, dispatcher: net.dispatcher, ...options });
    cleanups.push(async () => {
      await client.close();
      await net.close();
      await server.close();
    });
    return { server, net, client };
  }

  /**
   * Every kind of failure in turn, through init, polling, retries, the breaker, refresh,
   * identify and resetCircuit, with fire-and-forget calls as careless callers make them.
   */
  async function runEveryFault({ server, net, client }: { server: RollgateServer; net: VirtualNetwork; client: RollgateClient }): Promise<void> {
    server.faults.failFlags({ status: 503, count: "all" });
    await Promise.all([client.init(), net.advance(2_000, 250)]);
    // Polls until the circuit opens, a failed probe, the circuit open for a while.
    await net.advance(5 * 60_000, 1_000);
    void client.refresh();
    void client.identify({ id: "user-1" });
    client.resetCircuit();
    await net.advance(60_000, 1_000);
    // Bad bodies.
    server.faults.clear();
    for (const kind of ["not-json", "html", "no-flags", "schema", "oversized"] as const) {
      server.faults.malformed(kind, { count: 1 });
      void client.refresh();
      await net.advance(1_000, 250);
    }
    // Rate limiting, a slow server, an authentication failure that stops polling.
    server.faults.failFlags({ status: 429, count: 2, retryAfter: 3 });
    void client.refresh();
    await net.advance(10_000, 250);
    server.faults.delay(60_000, { count: 4 });
    void client.refresh();
    await net.advance(25_000, 1_000, 10);
    server.faults.clear();
    server.faults.failFlags({ status: 401, count: "all" });
    await net.advance(60_000, 1_000);
    void client.identify({ id: "user-2", attributes: { plan: "pro" } });
    await net.advance(1_000, 250);
    // A fetch in flight (held by the server) when the client closes.
    server.faults.clear();
    server.faults.delay(60_000, { count: 1 });
    void client.refresh();
    await net.quiesce(20);
    void client.close();
    void client.refresh();
    await client.close();
    await net.advance(60_000, 1_000, 10);
  }

  it("the spy sees an unhandled rejection (so that its silence below means something)", async () => {
    const rejected = Promise.reject(new Error("deliberately unhandled"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(spy.failures.map((f) => f.kind)).toEqual(["unhandledRejection"]);
    // Handled late: Jest forgives it once "rejectionHandled" has fired; reset the spy for afterEach.
    rejected.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
    spy.failures.length = 0;
  });

  it("nothing escapes with nobody listening to events and a logger that throws on every call", async () => {
    const logger = new ThrowingLogger();
    const h = await setup({ logger });
    await runEveryFault(h);
    expect(logger.calls).toBeGreaterThan(10);
    // Getters kept answering throughout, and still do after close(): user-2's flags never arrived
    // (401, then a fetch held past close), so defaults, never user-1's flags.
    expect(h.client.isEnabled("new-feature", false)).toBe(false);
    expect(h.client.getString("theme", "x")).toBe("x");
    expect(h.client.getStatus().closed).toBe(true);
  });

  it("nothing escapes when every listener throws, and each throw is logged while the others still run", async () => {
    const logger = new RecordingLogger();
    const h = await setup({ logger });
    const seen: string[] = [];
    for (const type of EVERY_EVENT_TYPE) {
      h.client.on(type, () => {
        throw new Error(`listener bug on ${type}`);
      });
      h.client.on(type, () => void seen.push(type));
    }
    await runEveryFault(h);
    for (const type of ["ready", "error", "stale", "circuit-open", "circuit-half-open", "circuit-closed"]) {
      expect(seen).toContain(type);
      expect(logger.text()).toContain(`A listener for "${type}" threw`);
    }
  });

  it("nothing escapes when listeners throw and the logger that should report it throws too", async () => {
    const logger = new ThrowingLogger();
    const h = await setup({ logger });
    let delivered = 0;
    for (const type of EVERY_EVENT_TYPE) {
      h.client.on(type, () => {
        delivered += 1;
        throw new Error(`listener bug on ${type}`);
      });
    }
    await runEveryFault(h);
    expect(delivered).toBeGreaterThan(10);
  });

  it("the flags keep flowing past a throwing listener: the next poll still applies a change", async () => {
    const h = await setup({ logger: new RecordingLogger() });
    h.client.on("flag-changed", () => {
      throw new Error("listener bug");
    });
    h.client.on("flags-updated", () => {
      throw new Error("listener bug");
    });
    await h.client.init();
    h.server.setFlag({ key: "new-feature", enabled: false });
    await h.net.advance(30_000);
    expect(h.client.isEnabled("new-feature", true)).toBe(false);
    h.server.setFlag({ key: "new-feature", enabled: true, rolloutPercentage: 100 });
    await h.net.advance(30_000);
    expect(h.client.isEnabled("new-feature", false)).toBe(true);
  });

  it("init() with the server down and nobody listening resolves; later polls fail quietly", async () => {
    const gone = await startTestServer();
    await gone.close();
    const net = new VirtualNetwork();
    const client = clientFor(gone, { scheduler: net.scheduler, dispatcher: net.dispatcher, logger: new ThrowingLogger() });
    cleanups.push(async () => {
      await client.close();
      await net.close();
    });
    await Promise.all([client.init(), net.advance(2_000, 250)]);
    expect(client.getStatus()).toMatchObject({ ready: true, stale: true, source: "defaults" });
    await net.advance(10 * 60_000, 250);
    expect(client.getCircuitState()).not.toBe("closed");
  });

  it("close() at any point of a retry cycle (mid-request, mid-backoff, during init) lets nothing escape", async () => {
    for (const closeAfterMs of [0, 1, 60, 150, 5_000, 10_000, 12_000]) {
      const h = await setup({ logger: new ThrowingLogger() });
      h.server.faults.delay(60_000, { count: 1 });
      h.server.faults.failFlags({ status: 503, count: "all", retryAfter: 4 });
      const init = h.client.init();
      await h.net.advance(closeAfterMs, 250, 10);
      await h.client.close();
      await init;
      await h.net.advance(60_000, 1_000, 10);
      expect(h.client.getStatus().closed).toBe(true);
    }
  });

  it("with streaming on, a refused and dropped stream plus failing polls let nothing escape", async () => {
    const h = await setup({ enableStreaming: true, logger: new ThrowingLogger() });
    await h.client.init();
    h.server.faults.dropStreams();
    h.server.faults.refuseStreams({ status: 503, count: "all" });
    h.server.faults.failFlags({ status: 503, count: "all" });
    await h.net.advance(5 * 60_000, 500, 20);
    h.server.faults.clear();
    h.server.faults.refuseStreams({ status: 401, count: "all" });
    await h.net.advance(5 * 60_000, 500, 20);
    expect(h.client.isEnabled("new-feature", false)).toBe(true);
  });
});
