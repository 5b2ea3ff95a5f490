import { PayloadError } from "rollgate";
import { decodeV1Flags, decodeV2Flags } from "../../src/transport/decode-flags";

const v2 = (flag: Record<string, unknown>) => ({ flags: { f: { key: "f", ...flag } } });

describe("decodeV2Flags", () => {
  const accepted: ReadonlyArray<[string, Record<string, unknown>]> = [
    ["an enabled string flag with a string", { type: "string", value: "dark", enabled: true }],
    ["an enabled number flag with a number", { type: "number", value: 10, enabled: true }],
    ["an enabled json flag with an object", { type: "json", value: { a: [1] }, enabled: true }],
    ["a disabled typed flag with the bare false of the wire", { type: "string", value: false, enabled: false }],
    ["a boolean-typed flag with an array (the server's array quirk)", { type: "boolean", value: [1, 2], enabled: true }],
  ];
  it.each(accepted)("accepts %s", (_name, flag) => {
    expect(decodeV2Flags(v2(flag), "test").get("f")).toMatchObject({ type: flag.type, enabled: flag.enabled });
  });

  const rejected: ReadonlyArray<[string, unknown]> = [
    ["an enabled string flag carrying a number", v2({ type: "string", value: 3, enabled: true })],
    ["an enabled number flag carrying a string", v2({ type: "number", value: "abc", enabled: true })],
    ["an enabled json flag carrying null", v2({ type: "json", value: null, enabled: true })],
    ["an unknown type", v2({ type: "date", value: "x", enabled: true })],
    ["a missing enabled", v2({ type: "boolean", value: true })],
    ["flags as an array", { flags: [] }],
    ["no flags at all", { error: "timeout" }],
  ];
  it.each(rejected)("rejects %s as a whole with a PayloadError", (_name, body) => {
    expect(() => decodeV2Flags(body, "test")).toThrow(PayloadError);
  });

  it("reads the reason's omitted zero fields back (PROTOCOL.md §3.3)", () => {
    const flags = decodeV2Flags(
      { flags: { a: { type: "boolean", value: true, enabled: true, reason: { kind: "RULE_MATCH", ruleId: "r" } }, b: { type: "boolean", value: false, enabled: false, reason: { kind: "FALLTHROUGH" } } } },
      "test",
    );
    expect(flags.get("a")!.reason).toEqual({ kind: "RULE_MATCH", ruleId: "r", ruleIndex: 0, inRollout: false });
    expect(flags.get("b")!.reason).toEqual({ kind: "FALLTHROUGH", inRollout: false });
  });

  it("reads an unknown reason kind from a newer server as UNKNOWN instead of rejecting the body", () => {
    const flags = decodeV2Flags({ flags: { a: { type: "boolean", value: true, enabled: true, reason: { kind: "EXPERIMENT" } } } }, "test");
    expect(flags.get("a")!.reason.kind).toBe("UNKNOWN");
  });

  it("names every invalid flag's path in the error", () => {
    try {
      decodeV2Flags({ flags: { ok: { type: "boolean", value: true, enabled: true }, bad: { type: "string", value: 1, enabled: true } } }, "GET /x");
      throw new Error("expected a PayloadError");
    } catch (error) {
      expect(error).toBeInstanceOf(PayloadError);
      expect((error as PayloadError).issues[0]!.path).toBe("flags.bad.value");
      expect((error as PayloadError).message).toContain("GET /x");
    }
  });
});

describe("decodeV1Flags", () => {
  it("turns booleans and their reasons into boolean flag states", () => {
    const flags = decodeV1Flags({ flags: { a: true, b: false }, reasons: { a: { kind: "TARGET_MATCH" }, b: { kind: "OFF" } } }, "test");
    expect(flags.get("a")).toMatchObject({ type: "boolean", enabled: true, value: true, reason: { kind: "TARGET_MATCH" } });
    expect(flags.get("b")).toMatchObject({ enabled: false, reason: { kind: "OFF" } });
  });

  it("rejects a non-boolean value", () => {
    expect(() => decodeV1Flags({ flags: { a: "yes" } }, "test")).toThrow(PayloadError);
  });
});

describe("decodeV2Flags with the previous decode of the same request", () => {
  const body = (theme: string, limit: number) => ({
    flags: {
      on: { type: "boolean", value: true, enabled: true, reason: { kind: "FALLTHROUGH", inRollout: true } },
      theme: { type: "string", value: theme, enabled: true, reason: { kind: "RULE_MATCH", ruleId: "r1", ruleIndex: 2 } },
      config: { type: "json", value: { limit }, enabled: true },
    },
  });

  it("keeps the state objects of unchanged flags and builds new ones for changed flags", () => {
    const first = decodeV2Flags(body("dark", 1), "test");
    const second = decodeV2Flags(body("dark", 2), "test", first);
    expect(second.get("on")).toBe(first.get("on"));
    expect(second.get("theme")).toBe(first.get("theme"));
    expect(second.get("config")).not.toBe(first.get("config"));
    expect(second.get("config")!.value).toEqual({ limit: 2 });
    const third = decodeV2Flags(body("light", 2), "test", second);
    expect(third.get("theme")).not.toBe(second.get("theme"));
    expect(third.get("theme")!.value).toBe("light");
    expect(third.get("config")).toBe(second.get("config"));
  });
});
