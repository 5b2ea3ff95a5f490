import { clientFor, RecordingLogger, startTestServer } from "../../support/test-client";
import { VirtualNetwork } from "../../support/virtual-network";

/** What an on-call engineer reads in the logs during a 503 outage, through the client (virtual time, real I/O). */
it("logs an outage as: one warning (the first failed fetch), info when the circuit opens, closes and when flags recover", async () => {
  const server = await startTestServer();
  const net = new VirtualNetwork();
  const logger = new RecordingLogger();
  const client = clientFor(server, { scheduler: net.scheduler, dispatcher: net.dispatcher, logger });
  try {
    await client.init();
    server.faults.failFlags({ status: 503, count: "all" });
    await net.advanceUntil(() => client.getCircuitState() === "open", { stepMs: 250, maxMs: 150_000, what: "the circuit to open" });
    await net.advance(40_000, 250);
    server.faults.clear();
    await net.advanceUntil(() => client.getCircuitState() === "closed" && !client.getStatus().stale, { stepMs: 250, maxMs: 150_000, what: "recovery" });
    await net.advance(1_000, 250);
    expect(logger.messages.map((m) => m.level)).toEqual(["warn", "info", "debug", "info", "info"]);
    expect(logger.text()).toMatch(/warn: Rollgate answered HTTP 503/);
    expect(logger.text()).toMatch(/info: The circuit breaker opened: requests to Rollgate have been failing for \d+(\.\d)? s \(SERVER_ERROR\)/);
    expect(logger.text()).toMatch(/info: The circuit breaker closed after an outage of \d+(\.\d)? s/);
    expect(logger.text()).toMatch(/info: Rollgate answered again after \d+(\.\d)? s of failures/);
  } finally {
    await client.close();
    await net.close();
    await server.close();
  }
});
