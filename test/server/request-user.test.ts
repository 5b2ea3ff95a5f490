import { silentLogger } from "../../src/logger/logger";
import { startServer, type FlagDefinition, type RollgateServer } from "../../src/server";
import { call, json, userContextHeader } from "./support/http-client";

const ruleFlag = (key: string, attribute: string, operator: string, value: string): FlagDefinition => ({
  key,
  enabled: true,
  rules: [{ id: key, enabled: true, conditions: [{ attribute, operator, value }], rolloutPercentage: 100 }],
});

const FLAGS = [
  ruleFlag("is-alice", "id", "eq", "alice"),
  ruleFlag("is-bob", "id", "eq", "bob"),
  ruleFlag("is-carol", "id", "eq", "carol"),
  ruleFlag("is-pro", "plan", "eq", "pro"),
  ruleFlag("has-email", "email", "ends_with", "@example.com"),
];

let server: RollgateServer;

beforeAll(async () => {
  server = await startServer({ flags: FLAGS, logger: silentLogger });
  await call(server, "/api/v1/sdk/identify", { method: "POST", body: JSON.stringify({ user: { id: "carol", email: "carol@example.com", attributes: { plan: "pro" } } }) });
  await call(server, "/api/v1/sdk/identify", { method: "POST", body: JSON.stringify({ user: { id: "bob", attributes: { plan: "pro" } } }) });
});

afterAll(async () => {
  await server.close();
});

/** The flags that are on for a request, for both endpoints (which must agree). */
async function onFlags(query: string, headers: Record<string, string> = {}): Promise<string[]> {
  const v1 = json<{ flags: Record<string, boolean> }>(await call(server, `/api/v1/sdk/flags${query}`, { headers }));
  const v2 = json<{ flags: Record<string, { enabled: boolean }> }>(await call(server, `/api/v1/sdk/v2/flags${query}`, { headers }));
  const on = Object.keys(v1.flags).filter((key) => v1.flags[key]);
  expect(Object.keys(v2.flags).filter((key) => v2.flags[key]?.enabled)).toEqual(on);
  return on;
}

/** A context JSON whose standard base64 contains "+" or "/", so the URL-safe form differs. */
function contextWithUrlUnsafeBase64(): { standard: string; urlSafe: string } {
  for (let i = 0; ; i++) {
    const standard = userContextHeader({ id: "alice", attributes: { plan: "pro", pad: "?".repeat(i % 7) + "~".repeat(i) } });
    if (/[+/]/.test(standard) && standard.endsWith("=")) return { standard, urlSafe: standard.replace(/\+/g, "-").replace(/\//g, "_") };
  }
}

describe("the user of a flags request (PROTOCOL.md §1.7)", () => {
  it("takes X-User-Context over X-User-ID over user_id, without merging", async () => {
    const headers = { "x-user-context": userContextHeader({ id: "alice", attributes: { plan: "pro" } }), "x-user-id": "bob" };
    expect(await onFlags("?user_id=carol", headers)).toEqual(["is-alice", "is-pro"]);
  });

  it("reads email and attributes from X-User-Context", async () => {
    const headers = { "x-user-context": userContextHeader({ id: "alice", email: "alice@example.com" }) };
    expect(await onFlags("", headers)).toEqual(["has-email", "is-alice"]);
  });

  it("accepts URL-safe base64 with padding", async () => {
    const { urlSafe, standard } = contextWithUrlUnsafeBase64();
    expect(urlSafe).not.toBe(standard);
    expect(await onFlags("", { "x-user-context": urlSafe })).toEqual(["is-alice", "is-pro"]);
  });

  it.each([
    ["unpadded base64", () => userContextHeader({ id: "alice" }).replace(/=+$/, "")],
    ["invalid base64", () => "%%%not-base64%%%"],
    ["base64 of invalid JSON", () => Buffer.from("{id:alice}").toString("base64")],
    ["an empty id", () => userContextHeader({ id: "", attributes: { plan: "pro" } })],
    ["an id of the wrong type", () => userContextHeader({ id: 5 })],
    ["attributes of the wrong type", () => userContextHeader({ id: "alice", attributes: ["pro"] })],
  ])("falls through to X-User-ID on %s", async (_name, header) => {
    expect(userContextHeader({ id: "alice" }).endsWith("=")).toBe(true);
    expect(await onFlags("?user_id=carol", { "x-user-context": header(), "x-user-id": "bob" })).toEqual(["is-bob"]);
  });

  it("reads X-User-Email and raw-JSON X-User-Attributes with X-User-ID, ignoring the session", async () => {
    expect(await onFlags("", { "x-user-id": "bob" })).toEqual(["is-bob"]);
    const headers = { "x-user-id": "bob", "x-user-email": "bob@example.com", "x-user-attributes": '{"plan":"pro"}' };
    expect(await onFlags("", headers)).toEqual(["has-email", "is-bob", "is-pro"]);
  });

  it("ignores X-User-Attributes that is not a JSON object", async () => {
    expect(await onFlags("", { "x-user-id": "bob", "x-user-attributes": "plan=pro" })).toEqual(["is-bob"]);
  });

  it("ignores X-User-Email and X-User-Attributes without X-User-ID", async () => {
    expect(await onFlags("?user_id=alice", { "x-user-email": "x@example.com", "x-user-attributes": '{"plan":"pro"}' })).toEqual(["is-alice"]);
  });

  it("uses user_id with its identify session when no header names the user", async () => {
    expect(await onFlags("?user_id=carol")).toEqual(["has-email", "is-carol", "is-pro"]);
  });

  it("evaluates the anonymous user without any source", async () => {
    expect(await onFlags("")).toEqual([]);
  });
});
