import { useClientSuite } from "../support/client-suite";
import { RecordingLogger } from "../support/test-client";

/**
 * The per-request users as a whole: what they log, and what close() leaves them doing (issue 25:
 * each test fails on a mutant of src/scope/user-scopes.ts that survived the rest of the suite).
 */

describe("the per-request users", () => {
  const suite = useClientSuite();

  it("logs a user's failed fetch at debug only, with its reason: one outage must not warn once per user", async () => {
    const logger = new RecordingLogger();
    const { client } = suite.virtual({ logger, retry: { maxRetries: 0 } });
    await client.init();
    suite.server.faults.failFlags({ status: 503, count: 1 });
    const view = await client.forUser({ id: "unlucky" });
    expect(view.stale).toBe(true);
    const about = logger.messages.filter((m) => m.message.startsWith("Fetching a user's flags failed"));
    expect(about).toEqual([{ level: "debug", message: `Fetching a user's flags failed: ${view.staleReason}` }]);
    expect(logger.messages.filter((m) => m.level === "warn" || m.level === "error")).toEqual([]);
  });
});
