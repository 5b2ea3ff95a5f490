import fc from "fast-check";
import { PayloadError, RollgateClient, type JsonValue } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import type { FlagState } from "../../../src/model/flag-state";
import { FlagTable } from "../../../src/model/flag-table";
import { servedValue } from "../../../src/snapshot/served-value";
import { decodeV1Flags, decodeV2Flags } from "../../../src/transport/decode-flags";
import { startBodyServer, type BodyServer } from "../../support/body-server";
import { clientFor, RecordingLogger, startTestServer } from "../../support/test-client";

/**
 * Property tests (issue 4): the getters never throw, whatever they are given and whatever the
 * client's state; the payload decoder turns any JSON into a valid flag map or a PayloadError and
 * nothing else; and a client fed any body either applies all of it or none of it.
 */

const FLAG_TYPES = ["boolean", "string", "number", "json"] as const;
const REASON_KINDS = ["OFF", "TARGET_MATCH", "RULE_MATCH", "FALLTHROUGH", "ERROR", "UNKNOWN"] as const;
const ERROR_KINDS = ["FLAG_NOT_FOUND", "MALFORMED_FLAG", "USER_NOT_SPECIFIED", "CLIENT_NOT_READY", "WRONG_TYPE", "EXCEPTION"] as const;

/**
 * Keys that trip up code storing keys in plain objects, plus the flags the test server serves.
 * `__proto__` is left out of the generated bodies: zod skips such keys, so the decoders drop them
 * silently; the focused `__proto__` tests below cover that case on their own.
 */
const awkwardKey = fc.oneof(
  { arbitrary: fc.string().filter((key) => key !== "__proto__"), weight: 4 },
  { arbitrary: fc.string({ unit: "binary" }).filter((key) => key !== "__proto__"), weight: 1 },
  {
    arbitrary: fc.constantFrom("constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "", " ", "theme", "new-feature", "results-per-page", "feature-config", "disabled-string"),
    weight: 2,
  },
);
/** For the getters, which take keys from callers, not from bodies: `__proto__` included. */
const getterKey = fc.oneof({ arbitrary: awkwardKey, weight: 9 }, { arbitrary: fc.constant("__proto__"), weight: 1 });

/** Builds JSON text from entries, so that keys such as `__proto__` become own properties as in a real body. */
function objectText(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([key, valueText]) => `${JSON.stringify(key)}:${valueText}`).join(",")}}`;
}

/** A JSON value as text, with awkward keys in its objects now and then. */
const jsonValueText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
    fc.array(fc.tuple(awkwardKey, tie("value")), { maxLength: 3 }).map(objectText),
  ),
})).value;

const wireReason = fc.record(
  {
    kind: fc.oneof({ arbitrary: fc.constantFrom(...REASON_KINDS), weight: 5 }, { arbitrary: fc.string(), weight: 1 }),
    ruleId: fc.string(),
    ruleIndex: fc.oneof({ arbitrary: fc.nat(), weight: 5 }, { arbitrary: fc.integer(), weight: 1 }, { arbitrary: fc.double(), weight: 1 }),
    inRollout: fc.oneof({ arbitrary: fc.boolean(), weight: 5 }, { arbitrary: fc.jsonValue(), weight: 1 }),
    errorKind: fc.oneof({ arbitrary: fc.constantFrom(...ERROR_KINDS), weight: 5 }, { arbitrary: fc.string(), weight: 1 }),
  },
  { requiredKeys: [] },
);

/** One v2 flag as text: valid most of the time, with a wrong or missing field now and then. */
const v2FlagText = fc
  .record(
    {
      key: fc.string(),
      type: fc.oneof({ arbitrary: fc.constantFrom(...FLAG_TYPES), weight: 9 }, { arbitrary: fc.jsonValue(), weight: 1 }),
      value: fc.oneof({ arbitrary: jsonValueText, weight: 9 }, { arbitrary: fc.constant(undefined), weight: 1 }),
      enabled: fc.oneof({ arbitrary: fc.boolean(), weight: 9 }, { arbitrary: fc.jsonValue(), weight: 1 }),
      reason: fc.oneof({ arbitrary: wireReason, weight: 9 }, { arbitrary: fc.jsonValue(), weight: 1 }),
    },
    { requiredKeys: ["type", "enabled", "value"] },
  )
  .map((flag) => {
    const entries: [string, string][] = [];
    if (flag.key !== undefined) entries.push(["key", JSON.stringify(flag.key)]);
    entries.push(["type", JSON.stringify(flag.type)]);
    if (flag.value !== undefined) entries.push(["value", flag.value]);
    entries.push(["enabled", JSON.stringify(flag.enabled)]);
    if (flag.reason !== undefined) entries.push(["reason", JSON.stringify(flag.reason)]);
    return objectText(entries);
  });

/** A v2 body: mostly the right shape, sometimes a bad flag, sometimes extra fields. */
const v2BodyText = fc
  .tuple(fc.array(fc.tuple(awkwardKey, v2FlagText), { maxLength: 6 }), fc.array(fc.tuple(fc.string(), fc.jsonValue({ maxDepth: 1 })), { maxLength: 2 }))
  .map(([flags, extra]) => objectText([["flags", objectText(flags)], ...extra.filter(([key]) => key !== "flags").map(([key, value]) => [key, JSON.stringify(value)] as const)]));

/** A v1 body: booleans, sometimes not, with optional reasons. */
const v1BodyText = fc
  .tuple(
    fc.array(fc.tuple(awkwardKey, fc.oneof({ arbitrary: fc.boolean(), weight: 9 }, { arbitrary: fc.jsonValue(), weight: 1 })), { maxLength: 6 }),
    fc.option(fc.array(fc.tuple(awkwardKey, wireReason), { maxLength: 3 })),
  )
  .map(([flags, reasons]) => {
    const entries: [string, string][] = [["flags", objectText(flags.map(([key, value]) => [key, JSON.stringify(value)] as const))]];
    if (reasons !== null) entries.push(["reasons", objectText(reasons.map(([key, reason]) => [key, JSON.stringify(reason)] as const))]);
    return objectText(entries);
  });

/** Any JSON at all: mostly wrong for the protocol. */
const anyJsonText = fc.oneof(fc.jsonValue().map((value) => JSON.stringify(value)), jsonValueText, fc.constantFrom("null", "[]", "{}", '{"flags":null}', '{"flags":[]}', '{"flags":{}}'));

function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === "object") return Object.values(value).every(isJsonValue);
  return false;
}

/** A decoded flag is usable: a known type, a boolean `enabled`, a frozen JSON value and a known reason kind. */
function expectValidFlag(state: FlagState): void {
  expect(FLAG_TYPES).toContain(state.type);
  expect(typeof state.enabled).toBe("boolean");
  expect(isJsonValue(state.value)).toBe(true);
  if (typeof state.value === "object" && state.value !== null) expect(Object.isFrozen(state.value)).toBe(true);
  expect(REASON_KINDS).toContain(state.reason.kind);
  expect(Object.isFrozen(state)).toBe(true);
}

type Decoder = (body: unknown, source: string) => ReadonlyMap<string, FlagState>;

/**
 * The decoder either throws a PayloadError (with issues) or returns a map holding every flag of
 * the body, each valid, with the body's values: nothing dropped, nothing altered.
 */
function checkDecoder(decode: Decoder, text: string): "applied" | "rejected" {
  const body: unknown = JSON.parse(text);
  let flags: ReadonlyMap<string, FlagState>;
  try {
    flags = decode(body, "GET /test");
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).issues.length).toBeGreaterThan(0);
    return "rejected";
  }
  expect(flags).toBeInstanceOf(FlagTable);
  expect(flags.size).toBe(Object.keys((body as { flags: Record<string, unknown> }).flags).length);
  const wireFlags = (body as { flags: Record<string, unknown> }).flags;
  expect([...flags.keys()].sort()).toEqual(Object.keys(wireFlags).sort());
  for (const [key, state] of flags) {
    expectValidFlag(state);
    const wire = wireFlags[key];
    if (typeof wire === "boolean") expect(state.enabled).toBe(wire);
    else expect(state.value).toEqual((wire as { value: JsonValue }).value);
  }
  return "applied";
}

describe("property: the payload decoders", () => {
  it.each([
    { name: "decodeV2Flags", decode: decodeV2Flags, nearlyValid: v2BodyText },
    { name: "decodeV1Flags", decode: decodeV1Flags, nearlyValid: v1BodyText },
  ])("$name turns any JSON into a complete, valid flag map or a PayloadError, never anything else", ({ decode, nearlyValid }) => {
    const outcomes = { applied: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.oneof(nearlyValid, anyJsonText), (text) => {
        outcomes[checkDecoder(decode, text)] += 1;
      }),
      { numRuns: 1_000 },
    );
    // Both branches were exercised.
    expect(outcomes.applied).toBeGreaterThan(100);
    expect(outcomes.rejected).toBeGreaterThan(100);
  });

  // JSON.parse makes `__proto__` an own key like any other. Keeping it as data or rejecting the
  // whole body are both fine; dropping it while applying the rest is a half-applied payload.
  it.each([
    { name: "decodeV2Flags", what: "a flag named __proto__", decode: decodeV2Flags, text: '{"flags":{"__proto__":{"type":"boolean","value":true,"enabled":true},"a":{"type":"boolean","value":true,"enabled":true}}}' },
    { name: "decodeV2Flags", what: "a JSON value with a __proto__ key", decode: decodeV2Flags, text: '{"flags":{"cfg":{"type":"json","value":{"__proto__":{"admin":true},"limit":3},"enabled":true}}}' },
    { name: "decodeV2Flags", what: "an invalid flag named __proto__", decode: decodeV2Flags, text: '{"flags":{"__proto__":{"type":"nonsense"},"a":{"type":"boolean","value":true,"enabled":true}}}' },
    { name: "decodeV1Flags", what: "a flag named __proto__", decode: decodeV1Flags, text: '{"flags":{"__proto__":true,"a":false}}' },
  ])("$name does not silently drop $what: it keeps it as data or rejects the body", ({ decode, text }) => {
    checkDecoder(decode, text);
    // And nothing leaked into Object.prototype either way.
    expect(({} as Record<string, unknown>)["admin"]).toBeUndefined();
  });
});

describe("property: the getters never throw", () => {
  let server: RollgateServer;
  const clients: Record<"before init" | "after init" | "after close", RollgateClient> = {} as never;

  beforeAll(async () => {
    server = await startTestServer();
    clients["before init"] = clientFor(server);
    clients["after init"] = clientFor(server);
    await clients["after init"].init();
    clients["after close"] = clientFor(server);
    await clients["after close"].init();
    await clients["after close"].close();
  });
  afterAll(async () => {
    await Promise.all(Object.values(clients).map((client) => client.close()));
    await server.close();
  });

  it.each(["before init", "after init", "after close"] as const)("%s, for any key and any default, each answering the default or a value of its type", (state) => {
    const client = clients[state];
    const served = client.getAllFlags();
    fc.assert(
      fc.property(getterKey, fc.anything(), fc.jsonValue(), fc.boolean(), fc.string(), fc.double(), (key, anything, jsonValue, bool, text, number) => {
        // fast-check's JsonValue type is wider than ours (it allows undefined members); the values are JSON.
        const json = jsonValue as JsonValue;
        const known = Object.hasOwn(served, key);
        const isEnabled = client.isEnabled(key, bool);
        expect(typeof isEnabled).toBe("boolean");
        if (!known) expect(isEnabled).toBe(bool);

        const value = client.getValue(key, anything as JsonValue);
        if (!known) expect(value).toBe(anything);
        const typed = client.getValue(key, json);
        if (!known) expect(typed).toBe(json);

        const string = client.getString(key, text);
        expect(typeof string).toBe("string");
        if (!known) expect(string).toBe(text);
        const num = client.getNumber(key, number);
        expect(typeof num).toBe("number");
        if (!known) expect(num).toBe(number);
        const obj = client.getJson(key, json);
        if (!known) expect(obj).toBe(json);

        const detail = client.isEnabledDetail(key, bool);
        expect(typeof detail.reason.kind).toBe("string");
        const valueDetail = client.getValueDetail(key, anything as JsonValue);
        expect(typeof valueDetail.reason.kind).toBe("string");
        if (!known) expect(valueDetail.value).toBe(anything);
        // Wrong-typed defaults, as untyped callers may pass them.
        expect(() => client.isEnabled(key, anything as boolean)).not.toThrow();
        expect(() => client.getString(key, anything as string)).not.toThrow();
        expect(() => client.getNumber(key, anything as number)).not.toThrow();
        expect(() => client.getJson(key, anything as JsonValue)).not.toThrow();
      }),
      { numRuns: 2_000 },
    );
    expect(() => client.getAllFlags()).not.toThrow();
  });

  it("with keys that are not strings at all (untyped callers)", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (key, fallback) => {
        for (const client of Object.values(clients)) {
          expect(() => client.isEnabled(key as string, fallback as boolean)).not.toThrow();
          expect(() => client.getValue(key as string, fallback as JsonValue)).not.toThrow();
          expect(() => client.getValueDetail(key as string, fallback as JsonValue)).not.toThrow();
          expect(() => client.isEnabledDetail(key as string, fallback as boolean)).not.toThrow();
        }
      }),
      { numRuns: 500 },
    );
  });

  it("with keys whose conversion to a string throws, or that name a flag once converted", () => {
    const throwing = { toString: () => { throw new Error("toString ran"); } };
    const flagKey = Object.keys(clients["after init"].getAllFlags())[0]!;
    const named = { toString: () => flagKey };
    const keys: unknown[] = [throwing, Object.create(null), named, [flagKey], Symbol(flagKey)];
    for (const key of keys) {
      for (const client of Object.values(clients)) {
        expect(client.isEnabled(key as string, true)).toBe(true);
        expect(client.getValue(key as string, "fallback")).toBe("fallback");
        expect(client.getString(key as string, "fallback")).toBe("fallback");
        expect(client.getNumber(key as string, -1)).toBe(-1);
        expect(client.getJson(key as string, [])).toEqual([]);
        expect(client.getValueDetail(key as string, "fallback").value).toBe("fallback");
        expect(client.isEnabledDetail(key as string, false).value).toBe(false);
      }
    }
  });
});

describe("property: the client never half-applies a body", () => {
  let bodies: BodyServer;
  let client: RollgateClient;
  const BASELINE = '{"flags":{"a":{"type":"boolean","value":true,"enabled":true,"reason":{"kind":"FALLTHROUGH"}},"theme":{"type":"string","value":"dark","enabled":true}}}';

  beforeAll(async () => {
    bodies = await startBodyServer({ status: 200, contentType: "application/json", body: BASELINE });
    client = new RollgateClient({ apiKey: "rg_server_test", baseUrl: bodies.url, cache: false, refreshInterval: 0, retry: { maxRetries: 0 }, logger: new RecordingLogger() });
    await client.init();
  });
  afterAll(async () => {
    await client.close();
    await bodies.close();
  });

  it("after any 200 body, the flags are either exactly the body's or exactly the previous ones, and the status says which", async () => {
    const outcomes = { applied: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof(v2BodyText, anyJsonText, fc.string()), async (text) => {
        const before = client.getAllFlags();
        const beforeDetails = Object.keys(before).map((key) => client.getValueDetail(key, null));
        bodies.respond({ status: 200, contentType: "application/json", body: text });
        await client.refresh();

        let expected: ReadonlyMap<string, FlagState> | undefined;
        try {
          expected = decodeV2Flags(JSON.parse(text), "expected");
        } catch {
          expected = undefined;
        }
        const status = client.getStatus();
        if (expected === undefined) {
          outcomes.rejected += 1;
          expect(client.getAllFlags()).toBe(before);
          expect(Object.keys(before).map((key) => client.getValueDetail(key, null))).toEqual(beforeDetails);
          expect(status.lastError).toBeInstanceOf(PayloadError);
        } else {
          outcomes.applied += 1;
          // Every flag of the body, none dropped...
          expect(Object.keys(client.getAllFlags()).sort()).toEqual(Object.keys((JSON.parse(text) as { flags: object }).flags).sort());
          // ...with exactly the decoded values and reasons.
          const record: Record<string, JsonValue> = {};
          for (const [key, state] of expected) record[key] = servedValue(state) ?? false;
          expect(client.getAllFlags()).toEqual(record);
          for (const [key, state] of expected) expect(client.getValueDetail(key, null).reason).toEqual(state.reason);
          expect(status).toMatchObject({ lastError: undefined, stale: false, source: "server" });
        }
      }),
      { numRuns: 300 },
    );
    expect(outcomes.applied).toBeGreaterThan(20);
    expect(outcomes.rejected).toBeGreaterThan(20);
  });
});
