import { silentLogger } from "../../../src/logger/logger";
import { startServer, type FlagDefinition, type RollgateServer } from "../../../src/server";
import { API_KEY, call, json, userContextHeader } from "../support/http-client";

const UNAUTHORIZED = '{"error":"AuthenticationError","message":"Invalid API key"}\n';

const FLAGS: FlagDefinition[] = [
  { key: "enabled-flag", enabled: true, rolloutPercentage: 100 },
  { key: "disabled-flag", enabled: false, variations: { on: "copy" }, defaultVariation: "on", rolloutPercentage: 100 },
  { key: "rollout-50", enabled: true, rolloutPercentage: 50 },
  {
    key: "pro-rule",
    enabled: true,
    rules: [
      { id: "not-first", enabled: true, conditions: [{ attribute: "plan", operator: "eq", value: "enterprise" }], rolloutPercentage: 100 },
      { id: "pro", enabled: true, conditions: [{ attribute: "plan", operator: "eq", value: "pro" }], rolloutPercentage: 100 },
    ],
  },
  {
    key: "first-rule",
    enabled: true,
    rules: [{ id: "everyone", enabled: true, conditions: [], rolloutPercentage: 100 }],
  },
  { key: "targeted", enabled: true, targetUsers: ["user-1"] },
  { key: "banner-text", enabled: true, variations: { welcome: "Welcome" }, defaultVariation: "welcome", rolloutPercentage: 100 },
  { key: "max-items", enabled: true, variations: { ten: 10 }, defaultVariation: "ten", rolloutPercentage: 100 },
  { key: "config", enabled: true, variations: { dark: { theme: "dark", a: [1] } }, defaultVariation: "dark", rolloutPercentage: 100 },
];

let server: RollgateServer;

beforeAll(async () => {
  server = await startServer({ flags: FLAGS, logger: silentLogger });
});

afterAll(async () => {
  await server.close();
});

describe("authentication on the flag endpoints", () => {
  it.each([
    ["a Bearer key", { authorization: `Bearer ${API_KEY}` }, 200],
    ["the bare key", { authorization: API_KEY }, 200],
    ["a lower-case bearer prefix", { authorization: `bearer ${API_KEY}` }, 401],
    ["a wrong key", { authorization: "Bearer rg_wrong" }, 401],
    ["no key", {}, 401],
  ])("%s → %i", async (_name, headers, status) => {
    for (const path of ["/api/v1/sdk/flags", "/api/v1/sdk/v2/flags"]) {
      const reply = await call(server, path, { auth: false, headers });
      expect(reply.status).toBe(status);
    }
  });

  it("answers 401 with the reference server's body and plain-text content type", async () => {
    const reply = await call(server, "/api/v1/sdk/flags", { auth: false });
    expect(reply.text).toBe(UNAUTHORIZED);
    expect(reply.headers["content-type"]).toBe("text/plain; charset=utf-8");
  });
});

describe("GET /api/v1/sdk/flags", () => {
  it("reports every flag as a boolean, disabled ones false, keys sorted", async () => {
    const reply = await call(server, "/api/v1/sdk/flags?user_id=user-1");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/json");
    expect(json(reply)).toEqual({
      flags: {
        "banner-text": true,
        config: true,
        "disabled-flag": false,
        "enabled-flag": true,
        "first-rule": true,
        "max-items": true,
        "pro-rule": false,
        "rollout-50": true,
        targeted: true,
      },
    });
    expect(reply.text.startsWith('{"flags":{"banner-text":true,"config":true,"disabled-flag":false,')).toBe(true);
  });

  it.each([
    ["true", true],
    ["True", false],
    ["1", false],
    ["", false],
  ])("includes reasons only when withReasons is exactly %j", async (value, included) => {
    const reply = json(await call(server, `/api/v1/sdk/flags?withReasons=${value}`));
    expect("reasons" in reply).toBe(included);
  });

  it("drops zero fields from reasons on the wire (§3.3)", async () => {
    const user = userContextHeader({ id: "user-1", attributes: { plan: "pro" } });
    const reply = await call(server, "/api/v1/sdk/flags?withReasons=true", { headers: { "x-user-context": user } });
    const reasons = json<{ reasons: Record<string, unknown> }>(reply).reasons;
    expect(Object.keys(reasons)).toEqual(Object.keys(json<{ flags: object }>(reply).flags));
    expect(reasons["disabled-flag"]).toEqual({ kind: "OFF" });
    expect(reasons["targeted"]).toEqual({ kind: "TARGET_MATCH" });
    expect(reasons["enabled-flag"]).toEqual({ kind: "FALLTHROUGH", inRollout: true });
    expect(reasons["pro-rule"]).toEqual({ kind: "RULE_MATCH", ruleId: "pro", ruleIndex: 1, inRollout: true });
    // ruleIndex 0 is omitted, as the reference server's Go omitempty does.
    expect(reply.text).toContain('"first-rule":{"kind":"RULE_MATCH","ruleId":"everyone","inRollout":true}');
    // Anonymous user "" is bucketed at 96 for rollout-50: out, so inRollout false is omitted.
    const anonymous = json<{ reasons: Record<string, unknown> }>(await call(server, "/api/v1/sdk/flags?withReasons=true"));
    expect(anonymous.reasons["rollout-50"]).toEqual({ kind: "FALLTHROUGH" });
  });
});

describe("the v1 ETag", () => {
  it("is the reference value for an empty flag set", async () => {
    const empty = await startServer({ logger: silentLogger });
    try {
      const reply = await call(empty, "/api/v1/sdk/flags");
      expect(reply.text).toBe('{"flags":{}}');
      expect(reply.headers["etag"]).toBe('"44136fa355b3678a"');
      // An empty reasons map is dropped, as Go's omitempty does.
      expect((await call(empty, "/api/v1/sdk/flags?withReasons=true")).text).toBe('{"flags":{}}');
    } finally {
      await empty.close();
    }
  });

  it("hashes the Go JSON of the flags object, with < escaped", async () => {
    const known = await startServer({
      logger: silentLogger,
      flags: [
        { key: "z", enabled: false },
        { key: "a<b", enabled: true, rolloutPercentage: 100 },
      ],
    });
    try {
      const reply = await call(known, "/api/v1/sdk/flags");
      expect(reply.text).toBe('{"flags":{"a\\u003cb":true,"z":false}}');
      // printf '%s' '{"a\u003cb":true,"z":false}' | sha256sum
      expect(reply.headers["etag"]).toBe('"520878be8b48783e"');
    } finally {
      await known.close();
    }
  });

  it("is the same with or without reasons and across users with the same booleans", async () => {
    const a = await call(server, "/api/v1/sdk/flags?user_id=user-1");
    const b = await call(server, "/api/v1/sdk/flags?user_id=user-2&withReasons=true");
    expect(a.headers["etag"]).toMatch(/^"[0-9a-f]{16}"$/);
    // user-1 and user-2 are both inside rollout-50 (buckets 15 and 0); only `targeted` differs.
    const c = await call(server, "/api/v1/sdk/flags?user_id=user-2");
    expect(b.headers["etag"]).toBe(c.headers["etag"]);
    expect(a.headers["etag"]).not.toBe(c.headers["etag"]);
  });

  it("answers 304 with no body and no ETag only to a byte-equal If-None-Match", async () => {
    const first = await call(server, "/api/v1/sdk/flags");
    const etag = first.headers["etag"] as string;
    const notModified = await call(server, "/api/v1/sdk/flags", { headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe("");
    expect(notModified.headers["etag"]).toBeUndefined();
    expect(notModified.headers["access-control-allow-origin"]).toBe("*");
  });

  it.each([
    ["a weak validator", (etag: string) => `W/${etag}`],
    ["an unquoted value", (etag: string) => etag.slice(1, -1)],
    ["a list", (etag: string) => `${etag}, "other"`],
    ["a wildcard", () => "*"],
  ])("answers a full 200 to %s", async (_name, variant) => {
    const etag = (await call(server, "/api/v1/sdk/flags")).headers["etag"] as string;
    const reply = await call(server, "/api/v1/sdk/flags", { headers: { "if-none-match": variant(etag) } });
    expect(reply.status).toBe(200);
    expect(reply.headers["etag"]).toBe(etag);
  });

  it("changes when a flag changes", async () => {
    const before = (await call(server, "/api/v1/sdk/flags")).headers["etag"];
    server.setFlag({ key: "temporary", enabled: true, rolloutPercentage: 100 });
    const after = (await call(server, "/api/v1/sdk/flags")).headers["etag"];
    server.deleteFlag("temporary");
    expect(after).not.toBe(before);
    expect((await call(server, "/api/v1/sdk/flags")).headers["etag"]).toBe(before);
  });
});

describe("GET /api/v1/sdk/v2/flags", () => {
  it("sends typed values with inline reasons, and false for a disabled typed flag", async () => {
    const reply = await call(server, "/api/v1/sdk/v2/flags?user_id=user-1");
    expect(reply.status).toBe(200);
    expect(reply.headers["etag"]).toBeUndefined();
    const flags = json<{ flags: Record<string, unknown> }>(reply).flags;
    expect(flags["banner-text"]).toEqual({ key: "banner-text", type: "string", value: "Welcome", enabled: true, reason: { kind: "FALLTHROUGH", inRollout: true } });
    expect(flags["max-items"]).toEqual({ key: "max-items", type: "number", value: 10, enabled: true, reason: { kind: "FALLTHROUGH", inRollout: true } });
    expect(flags["config"]).toEqual({ key: "config", type: "json", value: { theme: "dark", a: [1] }, enabled: true, reason: { kind: "FALLTHROUGH", inRollout: true } });
    expect(flags["disabled-flag"]).toEqual({ key: "disabled-flag", type: "string", value: false, enabled: false, reason: { kind: "OFF" } });
    expect(flags["enabled-flag"]).toEqual({ key: "enabled-flag", type: "boolean", value: true, enabled: true, reason: { kind: "FALLTHROUGH", inRollout: true } });
    expect(flags["targeted"]).toMatchObject({ value: true, reason: { kind: "TARGET_MATCH" } });
  });

  it("writes entries in the reference order and JSON values with sorted keys", async () => {
    const reply = await call(server, "/api/v1/sdk/v2/flags");
    expect(reply.text).toContain('"config":{"key":"config","type":"json","value":{"a":[1],"theme":"dark"},"enabled":true,"reason":{"kind":"FALLTHROUGH","inRollout":true}}');
  });

  it("ignores If-None-Match and withReasons", async () => {
    const reply = await call(server, "/api/v1/sdk/v2/flags?withReasons=false", { headers: { "if-none-match": '"44136fa355b3678a"' } });
    expect(reply.status).toBe(200);
    expect(json<{ flags: Record<string, { reason?: unknown }> }>(reply).flags["enabled-flag"]?.reason).toBeDefined();
  });

  it("answers 404 like an older server when v2 is off", async () => {
    const old = await startServer({ v2: false, logger: silentLogger });
    try {
      const reply = await call(old, "/api/v1/sdk/v2/flags");
      expect(reply.status).toBe(404);
      expect(reply.text).toBe("404 page not found\n");
      expect((await call(old, "/api/v1/sdk/flags")).status).toBe(200);
    } finally {
      await old.close();
    }
  });

  it("adds an ETag over the v2 body and answers 304 to it when v2ETag is on", async () => {
    const modern = await startServer({ v2ETag: true, flags: FLAGS, logger: silentLogger });
    try {
      const first = await call(modern, "/api/v1/sdk/v2/flags");
      const etag = first.headers["etag"] as string;
      expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
      const second = await call(modern, "/api/v1/sdk/v2/flags", { headers: { "if-none-match": etag } });
      expect(second.status).toBe(304);
      expect(second.text).toBe("");
      expect((await call(modern, "/api/v1/sdk/v2/flags", { headers: { "if-none-match": `W/${etag}` } })).status).toBe(200);
      modern.setFlag({ key: "enabled-flag", enabled: false });
      expect((await call(modern, "/api/v1/sdk/v2/flags", { headers: { "if-none-match": etag } })).status).toBe(200);
    } finally {
      await modern.close();
    }
  });
});

describe("both flag endpoints", () => {
  it("accept any method, as the reference server does", async () => {
    expect((await call(server, "/api/v1/sdk/flags", { method: "POST", body: "{}" })).status).toBe(200);
    expect((await call(server, "/api/v1/sdk/v2/flags", { method: "DELETE" })).status).toBe(200);
  });
});

describe("the regex match budget on the flag endpoints", () => {
  it("answers a regex condition whose search would cost too much as not matching, warning once per pattern", async () => {
    const pattern = `${"[a-z]{0,1000}".repeat(24)}$`;
    const warnings: string[] = [];
    const server = await startServer({
      logger: { ...silentLogger, warn: (message) => warnings.push(message) },
      flags: [
        {
          key: "bio-rule",
          enabled: true,
          rules: [{ id: "r", enabled: true, rolloutPercentage: 100, conditions: [{ attribute: "bio", operator: "regex", value: pattern }] }],
        },
      ],
    });
    try {
      // Go matches this (about 576 million NFA steps, seconds per request, blocking /health).
      const headers = { "x-user-context": userContextHeader({ id: "u1", attributes: { bio: "a".repeat(12_000) } }) };
      const v1 = await call(server, "/api/v1/sdk/flags", { headers });
      const v2 = await call(server, "/api/v1/sdk/v2/flags", { headers });
      expect(json<{ flags: Record<string, boolean> }>(v1).flags["bio-rule"]).toBe(false);
      expect(json<{ flags: Record<string, { value: unknown }> }>(v2).flags["bio-rule"]?.value).toBe(false);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("(48002 instructions) against an attribute of 12000 characters exceeds the budget of 1000000 steps");
      expect(warnings[0]).not.toContain("aaaa");
      const short = { "x-user-context": userContextHeader({ id: "u1", attributes: { bio: "abc" } }) };
      expect(json<{ flags: Record<string, boolean> }>(await call(server, "/api/v1/sdk/flags", { headers: short })).flags["bio-rule"]).toBe(true);
    } finally {
      await server.close();
    }
  });
});
