import { OpenFeature, type EvaluationDetails, type FlagValue, type Hook, type HookContext } from "@openfeature/server-sdk";
import type { EvaluationHookContext, RollgateClient } from "rollgate";
import { RollgateProvider } from "rollgate/openfeature";
import type { RollgateServer } from "rollgate/server";
import { clientFor, RecordingLogger, startTestServer } from "../support/test-client";

/**
 * OpenFeature's own hooks keep working with the provider: before, after, error and finally run
 * around each evaluation with the provider's resolution; rollgate's hooks run inside it.
 */
describe("RollgateProvider with OpenFeature hooks", () => {
  let server: RollgateServer;
  let client: RollgateClient;

  beforeEach(async () => {
    server = await startTestServer();
    client = clientFor(server);
    OpenFeature.setLogger(new RecordingLogger());
    await OpenFeature.setProviderAndWait(new RollgateProvider(client));
  });
  afterEach(async () => {
    OpenFeature.clearHooks();
    await OpenFeature.clearProviders();
    await client.close();
    await server.close();
  });

  it("runs an OpenFeature hook's before, after and finally with the flag's context and resolution, and error for a missing flag", async () => {
    const seen: string[] = [];
    const details: EvaluationDetails<FlagValue>[] = [];
    const recorder: Hook = {
      before: (context: HookContext) => void seen.push(`before:${context.flagKey}:${String(context.context.targetingKey)}`),
      after: (_context, detail) => {
        seen.push(`after:${detail.flagKey}`);
        details.push(detail);
      },
      error: (context) => void seen.push(`error:${context.flagKey}`),
      finally: (context) => void seen.push(`finally:${context.flagKey}`),
    };
    OpenFeature.addHooks(recorder);
    const flags = OpenFeature.getClient();
    expect(await flags.getStringValue("theme", "blue", { targetingKey: "user-1", plan: "pro" })).toBe("dark");
    expect(await flags.getBooleanValue("no-such-flag", true, { targetingKey: "user-1" })).toBe(true);
    expect(seen).toEqual(["before:theme:user-1", "after:theme", "finally:theme", "before:no-such-flag:user-1", "error:no-such-flag", "finally:no-such-flag"]);
    expect(details[0]).toMatchObject({ flagKey: "theme", value: "dark", reason: "TARGETING_MATCH" });
  });

  it("runs rollgate's hooks inside OpenFeature's, once per evaluation", async () => {
    const order: string[] = [];
    client.addHook({ beforeEvaluation: (context: EvaluationHookContext) => void order.push(`rollgate:before:${context.flagKey}`), afterEvaluation: () => void order.push("rollgate:after") });
    OpenFeature.addHooks({ before: () => void order.push("openfeature:before"), after: () => void order.push("openfeature:after") });
    await OpenFeature.getClient().getStringValue("theme", "blue", { targetingKey: "user-1", plan: "pro" });
    expect(order).toEqual(["openfeature:before", "rollgate:before:theme", "rollgate:after", "openfeature:after"]);
  });
});
