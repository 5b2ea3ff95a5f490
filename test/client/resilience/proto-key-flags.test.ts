import { PayloadError, RollgateClient } from "rollgate";
import { startBodyServer, type BodyServer } from "../../support/body-server";
import { RecordingLogger } from "../../support/test-client";

/**
 * A flag named `__proto__` through the whole client (issue 4: a payload is applied whole or not
 * at all). JSON.parse makes `__proto__` an ordinary own key; the decoders keep it as data, and so
 * must everything built from the snapshot (`getAllFlags()`, `flags$`).
 */
describe("a flag named __proto__", () => {
  let bodies: BodyServer;
  let client: RollgateClient;
  const BASELINE = '{"flags":{"a":{"type":"boolean","value":true,"enabled":true,"reason":{"kind":"FALLTHROUGH"}}}}';

  beforeEach(async () => {
    bodies = await startBodyServer({ status: 200, contentType: "application/json", body: BASELINE });
    client = new RollgateClient({ apiKey: "rg_server_test", baseUrl: bodies.url, cache: false, refreshInterval: 0, retry: { maxRetries: 0 }, logger: new RecordingLogger() });
    await client.init();
  });
  afterEach(async () => {
    await client.close();
    await bodies.close();
  });

  it("is applied with the rest of its body, or the body is rejected whole", async () => {
    const before = client.getAllFlags();
    bodies.respond({
      status: 200,
      contentType: "application/json",
      body: '{"flags":{"__proto__":{"type":"boolean","value":true,"enabled":true},"b":{"type":"boolean","value":true,"enabled":true}}}',
    });
    await client.refresh();
    const after = client.getAllFlags();
    if (after === before) expect(client.getStatus().lastError).toBeInstanceOf(PayloadError);
    else expect(Object.keys(after).sort()).toEqual(["__proto__", "b"]);
  });

  it("with a JSON value, is listed by getAllFlags() as data, never as the record's prototype", async () => {
    bodies.respond({
      status: 200,
      contentType: "application/json",
      body: '{"flags":{"__proto__":{"type":"json","value":{"theme":"from-the-prototype"},"enabled":true}}}',
    });
    await client.refresh();
    expect(client.getStatus().lastError).toBeUndefined();
    expect(client.getJson("__proto__", {})).toEqual({ theme: "from-the-prototype" });
    const all = client.getAllFlags();
    expect(Object.keys(all)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
    expect(all["theme"]).toBeUndefined();
  });
});
