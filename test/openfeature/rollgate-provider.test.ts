import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus, type Client, type EvaluationContext } from "@openfeature/server-sdk";
import { MemoryCacheStore, type RollgateClient } from "rollgate";
import { RollgateProvider } from "rollgate/openfeature";
import type { RollgateServer } from "rollgate/server";
import { clientFor, RecordingLogger, startTestServer } from "../support/test-client";
import { eventually } from "../support/virtual-clock";

/**
 * The provider through the real OpenFeature server SDK, against the local server: every value
 * type with and without a context, targeting by attributes, every reason and error code.
 */

const PRO: EvaluationContext = { targetingKey: "user-1", plan: "pro" };
const FREE: EvaluationContext = { targetingKey: "user-2", plan: "free" };

describe("RollgateProvider through OpenFeature", () => {
  let server: RollgateServer;
  let client: RollgateClient;
  let provider: RollgateProvider;
  let flags: Client;

  beforeEach(async () => {
    server = await startTestServer();
    client = clientFor(server);
    provider = new RollgateProvider(client);
    OpenFeature.setLogger(new RecordingLogger());
    await OpenFeature.setProviderAndWait(provider);
    flags = OpenFeature.getClient();
  });

  afterEach(async () => {
    await OpenFeature.clearProviders();
    OpenFeature.clearHandlers();
    await client.close();
    await server.close();
  });

  describe("without a context: the client's default user", () => {
    it("resolves booleans, strings, numbers and objects, with the fallthrough as DEFAULT", async () => {
      expect(await flags.getBooleanDetails("new-feature", false)).toMatchObject({
        value: true,
        reason: "DEFAULT",
        flagMetadata: { rollgateReason: "FALLTHROUGH", inRollout: true },
      });
      expect(await flags.getStringDetails("theme", "blue")).toMatchObject({ value: "light", reason: "DEFAULT" });
      expect(await flags.getNumberDetails("results-per-page", 20)).toMatchObject({ value: 50, reason: "DEFAULT" });
      expect(await flags.getObjectDetails("feature-config", {})).toMatchObject({
        value: { enabled: true, max_items: 10, allowed_roles: ["admin"] },
        reason: "DEFAULT",
      });
      expect(await flags.getBooleanValue("pro-only", true)).toBe(false);
    });

    it("reads the client's default user, the same as the client's getters", async () => {
      await client.identify({ id: "user-1", attributes: { plan: "pro" } });
      expect(await flags.getStringValue("theme", "blue")).toBe("dark");
      expect(await flags.getStringValue("theme", "blue")).toBe(client.getString("theme", "blue"));
    });
  });

  describe("with a context: that user", () => {
    it("targets by attributes: a matched rule is TARGETING_MATCH with the rule in flagMetadata", async () => {
      expect(await flags.getBooleanDetails("pro-only", false, PRO)).toMatchObject({
        value: true,
        reason: "TARGETING_MATCH",
        flagMetadata: { rollgateReason: "RULE_MATCH", ruleId: "pro-rule", ruleIndex: 0, inRollout: true },
      });
      expect(await flags.getBooleanDetails("pro-only", true, FREE)).toMatchObject({
        value: false,
        reason: "DEFAULT",
        flagMetadata: { rollgateReason: "FALLTHROUGH", inRollout: false },
      });
      expect(await flags.getStringValue("theme", "blue", PRO)).toBe("dark");
      expect(await flags.getStringValue("theme", "blue", FREE)).toBe("light");
      expect(await flags.getNumberValue("results-per-page", 20, PRO)).toBe(50);
      expect(await flags.getObjectValue("feature-config", {}, PRO)).toEqual({ enabled: true, max_items: 10, allowed_roles: ["admin"] });
    });

    it("targets by id: a targeted user is TARGETING_MATCH (rollgate's TARGET_MATCH)", async () => {
      expect(await flags.getBooleanDetails("user-target", false, { targetingKey: "user-9" })).toMatchObject({
        value: true,
        reason: "TARGETING_MATCH",
        flagMetadata: { rollgateReason: "TARGET_MATCH" },
      });
      expect(await flags.getBooleanValue("user-target", true, { targetingKey: "user-8" })).toBe(false);
    });

    it("sends email and dates (as ISO strings) for targeting", async () => {
      server.setFlag({
        key: "early-adopters",
        enabled: true,
        rules: [
          {
            id: "jan-2",
            enabled: true,
            rolloutPercentage: 100,
            conditions: [
              { attribute: "signed_up", operator: "eq", value: "2024-01-02T03:04:05.000Z" },
              { attribute: "email", operator: "ends_with", value: "@example.com" },
            ],
          },
        ],
      });
      await client.refresh();
      const context = { targetingKey: "user-3", email: "ana@example.com", signed_up: new Date("2024-01-02T03:04:05Z") };
      expect(await flags.getBooleanValue("early-adopters", false, context)).toBe(true);
      expect(await flags.getBooleanValue("early-adopters", false, { ...context, email: "ana@example.org" })).toBe(false);
    });

    it("never changes what the default user or other users see", async () => {
      await Promise.all([flags.getStringValue("theme", "blue", PRO), flags.getStringValue("theme", "blue", FREE)]);
      expect(await flags.getStringValue("theme", "blue")).toBe("light");
      expect(client.getString("theme", "blue")).toBe("light");
    });
  });

  describe("reasons", () => {
    it("an off flag is DISABLED: its boolean, or the caller's default for a typed flag", async () => {
      expect(await flags.getBooleanDetails("off-feature", true)).toMatchObject({ value: false, reason: "DISABLED", flagMetadata: { rollgateReason: "OFF" } });
      expect(await flags.getStringDetails("disabled-string", "fallback", PRO)).toMatchObject({ value: "fallback", reason: "DISABLED" });
    });

    it("flags the server cannot vouch for (unreachable) are STALE, for the default user and for a user seen before", async () => {
      expect(await flags.getBooleanValue("pro-only", false, PRO)).toBe(true);
      server.faults.failFlags({ status: 503, count: "all" });
      await client.refresh();
      expect(await flags.getBooleanDetails("new-feature", false)).toMatchObject({ value: true, reason: "STALE", flagMetadata: { rollgateReason: "FALLTHROUGH" } });
      // A user seen before is answered at once with their flags, refetched behind the request
      // (users.revalidate "background"): STALE once that refetch has failed.
      expect(await flags.getBooleanValue("pro-only", false, PRO)).toBe(true);
      const view = await client.forUser({ id: PRO.targetingKey!, attributes: { plan: "pro" } });
      await eventually(() => view.stale, 10_000, "the refetch to fail");
      expect(await flags.getBooleanDetails("pro-only", false, PRO)).toMatchObject({ value: true, reason: "STALE", flagMetadata: { ruleId: "pro-rule" } });
    });

    it("flags from the persistent cache, before the server answers, are CACHED", async () => {
      const store = new MemoryCacheStore();
      const first = clientFor(server, { cache: { store } });
      await first.init();
      await first.close();

      server.faults.delay(3_000);
      const second = clientFor(server, { cache: { store } });
      const cachedProvider = new RollgateProvider(second);
      const initializing = second.init();
      while (second.getStatus().source !== "cache") await new Promise((resolve) => setImmediate(resolve));
      expect(await cachedProvider.resolveBooleanEvaluation("new-feature", false, {}, new RecordingLogger())).toMatchObject({
        value: true,
        reason: "CACHED",
        flagMetadata: { rollgateReason: "FALLTHROUGH" },
      });
      await second.close();
      await initializing;
    });
  });

  describe("errors: the caller's default with the error code", () => {
    it("FLAG_NOT_FOUND for a flag rollgate does not have", async () => {
      for (const context of [{}, PRO]) {
        expect(await flags.getBooleanDetails("no-such-flag", true, context)).toMatchObject({ value: true, reason: "ERROR", errorCode: ErrorCode.FLAG_NOT_FOUND });
      }
      expect(await flags.getObjectDetails("no-such-flag", { a: 1 })).toMatchObject({ value: { a: 1 }, errorCode: ErrorCode.FLAG_NOT_FOUND });
    });

    it("TYPE_MISMATCH for a flag of another type", async () => {
      expect(await flags.getNumberDetails("theme", 7)).toMatchObject({ value: 7, reason: "ERROR", errorCode: ErrorCode.TYPE_MISMATCH });
      expect(await flags.getBooleanDetails("theme", true, PRO)).toMatchObject({ value: true, errorCode: ErrorCode.TYPE_MISMATCH });
      expect(await flags.getStringDetails("new-feature", "x")).toMatchObject({ value: "x", errorCode: ErrorCode.TYPE_MISMATCH });
      expect(await flags.getObjectDetails("results-per-page", { n: 1 })).toMatchObject({ value: { n: 1 }, errorCode: ErrorCode.TYPE_MISMATCH });
    });

    it("TARGETING_KEY_MISSING for attributes without a targetingKey (never the default user's flags for them)", async () => {
      expect(await flags.getBooleanDetails("pro-only", false, { plan: "pro" })).toMatchObject({
        value: false,
        reason: "ERROR",
        errorCode: ErrorCode.TARGETING_KEY_MISSING,
      });
    });

    it("INVALID_CONTEXT for a context rollgate cannot send: a non-string targetingKey, a user too large for the header", async () => {
      const numericKey = { targetingKey: 42 } as unknown as EvaluationContext;
      expect(await flags.getBooleanDetails("new-feature", false, numericKey)).toMatchObject({ value: false, errorCode: ErrorCode.INVALID_CONTEXT });
      const huge = { targetingKey: "user-1", notes: "x".repeat(10_000) };
      const detail = await flags.getBooleanDetails("new-feature", false, huge);
      expect(detail).toMatchObject({ value: false, errorCode: ErrorCode.INVALID_CONTEXT });
      expect(detail.errorMessage).toMatch(/8192-byte limit/);
    });

    it("PROVIDER_NOT_READY before initialisation: from the SDK while initialising, from the provider when asked directly", async () => {
      const other = clientFor(server);
      const notReady = new RollgateProvider(other);
      await expect(notReady.resolveBooleanEvaluation("new-feature", true, {}, new RecordingLogger())).rejects.toMatchObject({ code: ErrorCode.PROVIDER_NOT_READY });
      await expect(notReady.resolveBooleanEvaluation("new-feature", true, PRO, new RecordingLogger())).resolves.toMatchObject({ value: true });

      server.faults.delay(500);
      OpenFeature.setProvider("slow", new RollgateProvider(other));
      const slow = OpenFeature.getClient("slow");
      expect(slow.providerStatus).toBe(ProviderStatus.NOT_READY);
      expect(await slow.getBooleanDetails("new-feature", false)).toMatchObject({ value: false, errorCode: ErrorCode.PROVIDER_NOT_READY });
      await other.close();
    });
  });

  describe("events and lifecycle", () => {
    it("emits CONFIGURATION_CHANGED with the changed flags", async () => {
      const changed: (string[] | undefined)[] = [];
      flags.addHandler(ProviderEvents.ConfigurationChanged, (details) => changed.push(details?.flagsChanged));
      server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
      await client.refresh();
      await new Promise((resolve) => setImmediate(resolve));
      expect(changed).toEqual([["new-feature"]]);
      expect(await flags.getBooleanDetails("new-feature", true)).toMatchObject({ value: false, reason: "DISABLED" });
    });

    it("closing leaves a client passed in open (it is the caller's), and closes a client the provider created", async () => {
      const owned = new RollgateProvider({ apiKey: server.apiKey, baseUrl: server.url, cache: false, logger: new RecordingLogger() });
      await OpenFeature.setProviderAndWait("owned", owned);
      expect(await OpenFeature.getClient("owned").getBooleanValue("new-feature", false)).toBe(true);
      await OpenFeature.close();
      expect(owned.client.getStatus().closed).toBe(true);
      expect(client.getStatus().closed).toBe(false);
    });

    it("declares itself for the server, named rollgate", () => {
      expect(provider.metadata).toEqual({ name: "rollgate" });
      expect(provider.runsOn).toBe("server");
      expect(OpenFeature.providerMetadata.name).toBe("rollgate");
    });
  });
});

describe("RollgateProvider tracking", () => {
  it("turns OpenFeature's track() into rollgate conversion events for the context's user, and never throws", async () => {
    const server = await startTestServer();
    const client = clientFor(server, { user: { id: "default-user" } });
    try {
      await OpenFeature.setProviderAndWait(new RollgateProvider(client));
      const flags = OpenFeature.getClient();
      flags.track("purchase", { targetingKey: "buyer-1", plan: "pro" }, { flagKey: "new-feature", variationId: "b", value: 29.99, currency: "EUR", at: new Date(0) as unknown as string });
      flags.track("signup", {}, { flagKey: "new-feature" });
      // No flag key: Rollgate's events belong to a flag's experiment, so it is dropped (with a warning).
      flags.track("no-flag", { targetingKey: "buyer-1" }, { value: 1 });
      await client.flushEvents();
      expect(server.received.events).toEqual([
        expect.objectContaining({ eventName: "purchase", userId: "buyer-1", flagKey: "new-feature", variationId: "b", value: 29.99, metadata: { currency: "EUR", at: "1970-01-01T00:00:00.000Z" } }),
        expect.objectContaining({ eventName: "signup", userId: "default-user", flagKey: "new-feature" }),
      ]);
      expect(client.getStatus().events).toMatchObject({ sent: 2, invalid: 1 });
    } finally {
      await OpenFeature.clearProviders();
      await client.close();
      await server.close();
    }
  });
});
