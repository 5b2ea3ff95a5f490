import { ErrorCode, OpenFeature, type Client, type EvaluationContext } from "@openfeature/server-sdk";
import type { RollgateClient } from "rollgate";
import { contextToUser, RollgateProvider } from "rollgate/openfeature";
import type { RollgateServer } from "rollgate/server";
import { clientFor, RecordingLogger, startTestServer } from "../support/test-client";

/**
 * Issue 22.6 and 22.7, through the real OpenFeature SDK against the local server: an empty
 * `targetingKey` never evaluates (or tracks) as the client's default user, and an attribute nested
 * deeper than rollgate accepts is dropped instead of failing the evaluation.
 */

/** `levels` objects nested in one another: `nested(1)` is `{ leaf: true }`. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i++) value = { next: value };
  return value;
}

describe("OpenFeature: empty targeting keys and deep attributes", () => {
  let server: RollgateServer;
  let client: RollgateClient;
  let flags: Client;

  beforeEach(async () => {
    server = await startTestServer();
    // The default user is user-9, whom "user-target" targets: what an empty key must never get.
    client = clientFor(server, { user: { id: "user-9" } });
    OpenFeature.setLogger(new RecordingLogger());
    await OpenFeature.setProviderAndWait(new RollgateProvider(client));
    flags = OpenFeature.getClient();
  });

  afterEach(async () => {
    await OpenFeature.clearProviders();
    await client.close();
    await server.close();
  });

  it.each<[string, EvaluationContext]>([
    ['targetingKey: ""', { targetingKey: "" }],
    ["targetingKey: null", { targetingKey: null } as unknown as EvaluationContext],
    ["targetingKey: undefined (as { targetingKey: req.user?.id } gives)", { targetingKey: undefined } as unknown as EvaluationContext],
    ['targetingKey: "" with attributes', { targetingKey: "", plan: "pro" }],
  ])("%s is TARGETING_KEY_MISSING, never the default user's flags", async (_what, context) => {
    expect(client.isEnabled("user-target", false)).toBe(true);
    expect(await flags.getBooleanDetails("user-target", false, context)).toMatchObject({ value: false, reason: "ERROR", errorCode: ErrorCode.TARGETING_KEY_MISSING });
  });

  it("an empty context ({}) still evaluates for the default user", async () => {
    expect(await flags.getBooleanDetails("user-target", false, {})).toMatchObject({ value: true });
  });

  it("tracks nothing for the default user when the targetingKey is empty: the event is dropped, counted as invalid", async () => {
    flags.track("purchase", { targetingKey: "" }, { flagKey: "new-feature" });
    flags.track("purchase", { targetingKey: "buyer-1" }, { flagKey: "new-feature" });
    await client.flushEvents();
    expect(server.received.events.map((e) => e.userId)).toEqual(["buyer-1"]);
    expect(client.getStatus().events).toMatchObject({ sent: 1, invalid: 1 });
  });

  it("drops an attribute nested 100 levels deep and evaluates the rest of the context", async () => {
    const context = { targetingKey: "user-1", plan: "pro", deep: nested(100) } as unknown as EvaluationContext;
    expect(await flags.getBooleanDetails("pro-only", false, context)).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
  });

  it("keeps the deepest attribute rollgate accepts (63 levels under attributes) and drops one level more", async () => {
    const kept = contextToUser({ targetingKey: "u1", deep: nested(63) } as unknown as EvaluationContext);
    expect(kept?.attributes?.["deep"]).toEqual(nested(63));
    expect(contextToUser({ targetingKey: "u1", deep: nested(64), plan: "pro" } as unknown as EvaluationContext)).toEqual({ id: "u1", attributes: { plan: "pro" } });
    // What contextToUser keeps, forUser accepts: the evaluation succeeds with it.
    const context = { targetingKey: "user-1", plan: "pro", deep: nested(63) } as unknown as EvaluationContext;
    expect(await flags.getBooleanDetails("pro-only", false, context)).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
    const list = { targetingKey: "user-1", plan: "pro", deep: [nested(63)] } as unknown as EvaluationContext;
    expect(await flags.getBooleanDetails("pro-only", false, list)).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
  });
});
