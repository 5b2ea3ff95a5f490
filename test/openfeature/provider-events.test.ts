import { createServer } from "node:net";
import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus, type EventDetails } from "@openfeature/server-sdk";
import { MemoryCacheStore, type RollgateClient, type RollgateOptions } from "rollgate";
import { RollgateProvider } from "rollgate/openfeature";
import type { RollgateServer } from "rollgate/server";
import { ProcessFailureSpy } from "../support/process-failure-spy";
import { clientFor, RecordingLogger, startTestServer } from "../support/test-client";
import { VirtualNetwork } from "../support/virtual-network";

/**
 * Provider events and status across an outage and a recovery (virtual time, real I/O against the
 * local server), a refused key, and a Rollgate that cannot be reached at all.
 */

const POLL_MS = 30_000;
const STEP_MS = 250;

/** Every provider event, in order, as "TYPE" or "TYPE:detail". */
function recordEvents(): string[] {
  const seen: string[] = [];
  const record = (type: string, detail: (d: EventDetails | undefined) => string) => (details?: EventDetails) => {
    const extra = detail(details);
    seen.push(extra === "" ? type : `${type}:${extra}`);
  };
  OpenFeature.addHandler(ProviderEvents.Ready, record("READY", () => ""));
  OpenFeature.addHandler(ProviderEvents.Stale, record("STALE", () => ""));
  OpenFeature.addHandler(ProviderEvents.Error, record("ERROR", (d) => String(d?.errorCode ?? "")));
  OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, record("CHANGED", (d) => ((d?.flagsChanged as string[] | undefined) ?? []).join(",")));
  return seen;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("RollgateProvider events", () => {
  const spy = new ProcessFailureSpy();
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(() => {
    spy.install();
    OpenFeature.setLogger(new RecordingLogger());
  });

  afterEach(async () => {
    await OpenFeature.clearProviders();
    OpenFeature.clearHandlers();
    for (const cleanup of cleanups.splice(0)) await cleanup();
    spy.uninstall();
  });

  async function virtualHarness(options: Partial<RollgateOptions> = {}): Promise<{ server: RollgateServer; net: VirtualNetwork; client: RollgateClient }> {
    const server = await startTestServer();
    const net = new VirtualNetwork();
    const client = clientFor(server, { scheduler: net.scheduler, dispatcher: net.dispatcher, retry: { maxRetries: 0 }, circuitBreaker: { failureThreshold: 2, resetTimeout: 30 }, ...options });
    cleanups.push(async () => {
      await client.close();
      await net.close();
      await server.close();
    });
    return { server, net, client };
  }

  it("across an outage and recovery: READY, STALE (once, also while the circuit is open), READY, then CONFIGURATION_CHANGED", async () => {
    const { server, net, client } = await virtualHarness();
    const events = recordEvents();
    await OpenFeature.setProviderAndWait(new RollgateProvider(client));
    const flags = OpenFeature.getClient();
    await net.quiesce();
    expect(events).toEqual(["READY"]);

    server.faults.failFlags({ status: 503, count: "all" });
    await net.advanceUntil(() => client.getCircuitState() === "open", { stepMs: STEP_MS, maxMs: 4 * POLL_MS, what: "the circuit to open" });
    await net.advance(POLL_MS, STEP_MS);
    expect(events).toEqual(["READY", "STALE"]);
    expect(flags.providerStatus).toBe(ProviderStatus.STALE);
    expect(await flags.getBooleanDetails("new-feature", false)).toMatchObject({ value: true, reason: "STALE" });

    server.faults.clear();
    server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    await net.advanceUntil(() => !client.getStatus().stale, { stepMs: STEP_MS, maxMs: 4 * POLL_MS, what: "the flags to recover" });
    expect(events).toEqual(["READY", "STALE", "READY", "CHANGED:new-feature"]);
    expect(flags.providerStatus).toBe(ProviderStatus.READY);
    expect(await flags.getBooleanDetails("new-feature", true)).toMatchObject({ value: false, reason: "DISABLED" });
  });

  it("stale at startup (cached flags, server down): READY from the SDK, then STALE", async () => {
    const store = new MemoryCacheStore();
    const { server, net, client } = await virtualHarness({ cache: { store } });
    // Prime the cache through a first client, then start with the server failing.
    const first = clientFor(server, { cache: { store }, scheduler: net.scheduler, dispatcher: net.dispatcher });
    await first.init();
    await first.close();
    server.faults.failFlags({ status: 503, count: "all" });
    const events = recordEvents();
    await OpenFeature.setProviderAndWait(new RollgateProvider(client));
    await net.quiesce();
    expect(events).toEqual(["READY", "STALE"]);
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.STALE);
    expect(await OpenFeature.getClient().getBooleanDetails("new-feature", false)).toMatchObject({ value: true, reason: "STALE" });
  });

  it("no flags at startup (server failing, nothing cached): initialisation fails (ERROR, recoverable), defaults with PROVIDER_NOT_READY, then READY when flags arrive", async () => {
    const { server, net, client } = await virtualHarness();
    server.faults.failFlags({ status: 503, count: "all" });
    const events = recordEvents();
    await expect(OpenFeature.setProviderAndWait(new RollgateProvider(client))).rejects.toMatchObject({ code: ErrorCode.GENERAL });
    const flags = OpenFeature.getClient();
    expect(flags.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await flags.getBooleanDetails("new-feature", false)).toMatchObject({ value: false, reason: "ERROR", errorCode: ErrorCode.PROVIDER_NOT_READY });

    server.faults.clear();
    await net.advanceUntil(() => !client.getStatus().stale, { stepMs: STEP_MS, maxMs: 4 * POLL_MS, what: "the flags to arrive" });
    expect(events[0]).toBe("ERROR");
    expect(events.slice(1, 2)).toEqual(["READY"]);
    expect(events[2]).toMatch(/^CHANGED:/);
    expect(flags.providerStatus).toBe(ProviderStatus.READY);
    expect(await flags.getBooleanValue("new-feature", false)).toBe(true);
  });

  it("a refused key at startup is fatal: PROVIDER_FATAL, defaults, no retry", async () => {
    const server = await startTestServer();
    const client = clientFor(server, { apiKey: "rg_server_wrong" });
    cleanups.push(async () => {
      await client.close();
      await server.close();
    });
    await expect(OpenFeature.setProviderAndWait(new RollgateProvider(client))).rejects.toMatchObject({ code: ErrorCode.PROVIDER_FATAL });
    const flags = OpenFeature.getClient();
    expect(flags.providerStatus).toBe(ProviderStatus.FATAL);
    expect(await flags.getBooleanDetails("new-feature", false, { targetingKey: "user-1" })).toMatchObject({ value: false, errorCode: ErrorCode.PROVIDER_FATAL });
  });

  it("a key refused later is fatal too: ERROR with errorCode PROVIDER_FATAL", async () => {
    const { server, net, client } = await virtualHarness();
    const events = recordEvents();
    await OpenFeature.setProviderAndWait(new RollgateProvider(client));
    await net.quiesce();
    server.faults.failFlags({ status: 401, count: "all" });
    await net.advance(POLL_MS, STEP_MS);
    expect(events).toEqual(["READY", `ERROR:${ErrorCode.PROVIDER_FATAL}`]);
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.FATAL);
  });

  it("registered while Rollgate cannot be reached (a closed port): defaults with PROVIDER_NOT_READY, ERROR status, no unhandled rejection", async () => {
    const port = await closedPort();
    const logger = new RecordingLogger();
    const provider = new RollgateProvider({ apiKey: "rg_server_x", baseUrl: `http://127.0.0.1:${port}`, cache: false, logger, retry: { maxRetries: 0 }, initTimeout: 2 });
    const events = recordEvents();
    OpenFeature.setProvider(provider); // not awaited: the SDK must contain the failed initialisation
    const flags = OpenFeature.getClient();
    while (flags.providerStatus === ProviderStatus.NOT_READY) await new Promise((resolve) => setImmediate(resolve));
    expect(flags.providerStatus).toBe(ProviderStatus.ERROR);
    expect(events).toEqual(["ERROR"]);

    for (const context of [{}, { targetingKey: "user-1", plan: "pro" }]) {
      expect(await flags.getBooleanDetails("new-feature", true, context)).toMatchObject({ value: true, reason: "ERROR", errorCode: ErrorCode.PROVIDER_NOT_READY });
      expect(await flags.getStringDetails("theme", "light", context)).toMatchObject({ value: "light", errorCode: ErrorCode.PROVIDER_NOT_READY });
      expect(await flags.getNumberValue("results-per-page", 20, context)).toBe(20);
      expect(await flags.getObjectValue("feature-config", { on: false }, context)).toEqual({ on: false });
    }
    await OpenFeature.clearProviders();
    expect(provider.client.getStatus().closed).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(spy.failures).toEqual([]);
  });
});
