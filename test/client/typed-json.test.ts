import { z } from "zod";
import { RollgateClient } from "rollgate";
import { startServer, type RollgateServer } from "rollgate/server";
import { silentLogger } from "../../src/logger/logger";

/** getJson / getValueDetail with a schema, against the local server serving the bundled examples/flags.json. */
describe("typed JSON flags", () => {
  let server: RollgateServer;
  let client: RollgateClient;
  const rateLimit = z.object({ enabled: z.boolean(), limit: z.number() });
  const wireShape = z.object({ requests_per_minute: z.number(), burst: z.number() });

  beforeAll(async () => {
    server = await startServer({ flagsFile: "examples/flags.json", logger: silentLogger });
    client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, logger: silentLogger });
    await client.init();
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it("serves the default when the flag's value does not match the schema (the issue's rate-limit-config case)", () => {
    const config = client.getJson("rate-limit-config", { enabled: false, limit: 100 }, rateLimit);
    const limit: number = config.limit;
    expect(limit).toBe(100);
    expect(client.getValueDetail("rate-limit-config", { enabled: false, limit: 100 }, rateLimit)).toEqual({
      value: { enabled: false, limit: 100 },
      reason: { kind: "ERROR", errorKind: "WRONG_TYPE" },
    });
  });

  it("serves the validated value, typed from the schema, when it matches", () => {
    const config = client.getJson("rate-limit-config", { requests_per_minute: 1, burst: 1 }, wireShape);
    const perMinute: number = config.requests_per_minute;
    expect(perMinute).toBe(600);
    expect(client.getValueDetail("rate-limit-config", { requests_per_minute: 1, burst: 1 }, wireShape).reason.kind).toBe("FALLTHROUGH");
  });

  it("gives the unknown-flag reason for a missing key, and keeps the schema-less getters unchanged", () => {
    expect(client.getValueDetail("no-such-flag", { enabled: false, limit: 1 }, rateLimit).reason).toEqual({ kind: "UNKNOWN" });
    expect(client.getJson("rate-limit-config", { x: 1 })).toEqual({ requests_per_minute: 600, burst: 50 });
  });
});
