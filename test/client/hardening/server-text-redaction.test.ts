import { RollgateClient, type RollgateEvent } from "rollgate";
import { startBodyServer, type BodyServer } from "../../support/body-server";
import { RecordingLogger } from "../../support/test-client";

/**
 * Issue 13 item 9: whatever text a server sends, a credential in it never reaches the log, an
 * `error` event or `lastError`. Every quoted piece of server text goes through one redaction.
 */

const LEAKED = "rg_server_d3adb33fd3adb33f";
const BODY = `Bearer ${LEAKED} is not valid here. <html>proxy error for ${LEAKED}</html>`;

describe("server text quoted in errors is redacted", () => {
  let bodies: BodyServer;
  afterEach(async () => {
    await bodies.close();
  });

  async function everythingTheAppSees(contentType: string, status = 200): Promise<string> {
    bodies = await startBodyServer({ status, contentType, body: BODY });
    const logger = new RecordingLogger();
    const events: RollgateEvent[] = [];
    const client = new RollgateClient({ apiKey: "rg_server_mine", baseUrl: bodies.url, cache: false, refreshInterval: 0, retry: { maxRetries: 0 }, logger });
    client.events$.subscribe((event) => events.push(event));
    await client.init();
    const lastError = client.getStatus().lastError;
    await client.close();
    expect(lastError).toBeDefined();
    const errors = events.flatMap((event) => (event.type === "error" ? [event.error.message, JSON.stringify(event.error)] : []));
    return [logger.text(), lastError?.message, JSON.stringify(lastError), ...errors].join("\n");
  }

  it("a 200 body that is not JSON is quoted without the credential it carries", async () => {
    const seen = await everythingTheAppSees("text/html");
    expect(seen).toContain("[redacted]");
    expect(seen).not.toContain("d3adb33f");
  });

  it("a content type that carries a credential is quoted redacted", async () => {
    const seen = await everythingTheAppSees(`text/html; note=${LEAKED}`);
    expect(seen).not.toContain("d3adb33f");
  });

  it("an error status body is quoted redacted too", async () => {
    const seen = await everythingTheAppSees("text/plain", 400);
    expect(seen).toContain("[redacted]");
    expect(seen).not.toContain("d3adb33f");
  });
});
