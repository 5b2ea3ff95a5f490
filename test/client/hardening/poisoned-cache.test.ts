import type { CacheStore } from "rollgate";
import { clientFor, flagRequests, RecordingLogger, startTestServer } from "../../support/test-client";

/**
 * Issue 13 item 5, end to end: a tampered shared store holding a value nested 5,000 deep made
 * init() reject with a RangeError, log nothing, send no request and never replace the entry.
 */
describe("a client whose cache store holds a poisoned entry", () => {
  it("logs one warning, fetches from the server and replaces the entry", async () => {
    const server = await startTestServer();
    const deep = `${"[".repeat(5000)}1${"]".repeat(5000)}`;
    const saved: string[] = [];
    const store: CacheStore = {
      load: async () => `{"version":1,"savedAt":0,"flags":{"cfg":{"type":"json","enabled":true,"value":${deep},"reason":{"kind":"OFF"}}}}`,
      save: async (_key, data) => {
        saved.push(data);
      },
    };
    const logger = new RecordingLogger();
    const client = clientFor(server, { cache: { store }, logger });
    try {
      await expect(client.init()).resolves.toBeUndefined();
      expect(flagRequests(server).length).toBeGreaterThanOrEqual(1);
      expect(client.getStatus().source).toBe("server");
      expect(logger.messages.filter((m) => m.level === "warn" && /flag cache/.test(m.message))).toHaveLength(1);
      await client.close();
      expect(saved.length).toBeGreaterThanOrEqual(1);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
