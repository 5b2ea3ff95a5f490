import type { RollgateOptions } from "rollgate";
import { clientFor, RecordingLogger, startTestServer } from "../../support/test-client";
import { VirtualNetwork } from "../../support/virtual-network";

/**
 * One warning per outage, whatever the retry settings (issue 22.8): with `retry: { maxRetries: 0 }`
 * (the demo's setting) every failed probe used to log a warning. Two 10 s outages of the local
 * server (503 on flags), in virtual time, through the client.
 */
describe("outage logging", () => {
  const settings: [string, Partial<RollgateOptions>][] = [
    ["retry { maxRetries: 0 } (the demo's)", { retry: { maxRetries: 0 } }],
    ["retry { maxRetries: 1 }", { retry: { maxRetries: 1 } }],
    ["the default retries", {}],
  ];

  it.each(settings)("logs one warning per outage with %s", async (_what, retry) => {
    const server = await startTestServer();
    const net = new VirtualNetwork();
    const logger = new RecordingLogger();
    const client = clientFor(server, {
      scheduler: net.scheduler,
      dispatcher: net.dispatcher,
      logger,
      refreshInterval: 0.5,
      timeout: 1,
      circuitBreaker: { failureThreshold: 2, resetTimeout: 1 },
      ...retry,
    });
    const warnings = () => logger.messages.filter((m) => m.level === "warn" || m.level === "error").map((m) => m.message);
    try {
      await client.init();
      for (let outage = 1; outage <= 2; outage++) {
        server.faults.failFlags({ status: 503, count: "all" });
        await net.advance(10_000, 250);
        expect(client.getCircuitState()).not.toBe("closed");
        expect(warnings()).toHaveLength(outage);
        server.faults.clear();
        await net.advanceUntil(() => client.getCircuitState() === "closed" && !client.getStatus().stale, { stepMs: 250, maxMs: 60_000, what: "recovery" });
        await net.advance(2_000, 250);
        expect(warnings()).toHaveLength(outage);
      }
      // Each outage still reads in full at info and debug: when it began, the circuit, the recovery.
      expect(logger.text()).toMatch(/info: The circuit breaker closed after an outage of \d+(\.\d)? s/);
    } finally {
      await client.close();
      await net.close();
      await server.close();
    }
  });
});
