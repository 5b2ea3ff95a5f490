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

  it("keeps a flag named __proto__ as an ordinary flag, in the body's order", () => {
    const body = JSON.parse('{"flags":{"a":{"type":"boolean","value":true,"enabled":true},"__proto__":{"type":"string","value":"x","enabled":true}}}') as unknown;
    const flags = decodeV2Flags(body, "test");
    expect([...flags.keys()]).toEqual(["a", "__proto__"]);
    expect(flags.get("__proto__")).toMatchObject({ type: "string", value: "x" });
  });

  // A polluted Object.prototype (a vulnerable dependency) must not slip flags into what is served.
  it("reads only the body's own flags, not enumerable properties of Object.prototype", () => {
    const body = v2({ type: "boolean", value: true, enabled: true });
    Object.defineProperty(Object.prototype, "injected", { value: { type: "boolean", value: true, enabled: true }, enumerable: true, configurable: true });
    try {
      expect([...decodeV2Flags(body, "test").keys()]).toEqual(["f"]);
    } finally {
      delete (Object.prototype as Record<string, unknown>)["injected"];
    }
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

describe("decodeV2Flags' reasons", () => {
  const decodeOne = (reason: Record<string, unknown> | undefined, flag: Record<string, unknown> = { type: "boolean", value: true, enabled: true }) =>
    decodeV2Flags({ flags: { f: reason === undefined ? flag : { ...flag, reason } } }, "test").get("f")!.reason;

  it.each<[string, Record<string, unknown> | undefined, Record<string, unknown>]>([
    ["no reason at all", undefined, { kind: "UNKNOWN" }],
    ["a bare kind", { kind: "OFF" }, { kind: "OFF" }],
    ["a kind in rollout", { kind: "TARGET_MATCH", inRollout: true }, { kind: "TARGET_MATCH", inRollout: true }],
    ["a fallthrough out of rollout", { kind: "FALLTHROUGH" }, { kind: "FALLTHROUGH", inRollout: false }],
    ["a fallthrough in rollout", { kind: "FALLTHROUGH", inRollout: true }, { kind: "FALLTHROUGH", inRollout: true }],
    ["an empty rule id (omitted)", { kind: "FALLTHROUGH", ruleId: "", ruleIndex: 0 }, { kind: "FALLTHROUGH", inRollout: false }],
    ["a rule match with every field", { kind: "RULE_MATCH", ruleId: "reasons-a", ruleIndex: 3, inRollout: true }, { kind: "RULE_MATCH", ruleId: "reasons-a", ruleIndex: 3, inRollout: true }],
    ["a rule match at index 0", { kind: "RULE_MATCH", ruleId: "reasons-b" }, { kind: "RULE_MATCH", ruleId: "reasons-b", ruleIndex: 0, inRollout: false }],
    ["a target match with a rule index", { kind: "TARGET_MATCH", ruleIndex: 4 }, { kind: "TARGET_MATCH", ruleIndex: 4 }],
    ["a target match with a rule id at index 0 (omitted)", { kind: "TARGET_MATCH", ruleId: "reasons-d", ruleIndex: 0 }, { kind: "TARGET_MATCH", ruleId: "reasons-d" }],
    ["a rule match without inRollout, next to one in rollout", { kind: "RULE_MATCH", ruleId: "reasons-a", ruleIndex: 3 }, { kind: "RULE_MATCH", ruleId: "reasons-a", ruleIndex: 3, inRollout: false }],
    ["a target match out of rollout (omitted)", { kind: "TARGET_MATCH", ruleId: "reasons-c", inRollout: false }, { kind: "TARGET_MATCH", ruleId: "reasons-c" }],
    ["an error kind with an empty rule id", { kind: "ERROR", ruleId: "", errorKind: "WRONG_TYPE" }, { kind: "ERROR", errorKind: "WRONG_TYPE" }],
    ["an error kind in rollout", { kind: "ERROR", errorKind: "EXCEPTION", inRollout: true }, { kind: "ERROR", errorKind: "EXCEPTION", inRollout: true }],
  ])("reads %s", (_what, wire, expected) => {
    const reason = decodeOne(wire);
    expect(reason).toStrictEqual(expected);
    expect(Object.isFrozen(reason)).toBe(true);
  });

  it("gives reasons that differ in any one field their own object, and equal ones one object", () => {
    const base = { kind: "RULE_MATCH", ruleId: "distinct-r", ruleIndex: 2, inRollout: true, errorKind: "EXCEPTION" };
    const variants: Record<string, unknown>[] = [
      base,
      { ...base, kind: "FALLTHROUGH" },
      { ...base, ruleId: "distinct-s" },
      { ...base, ruleIndex: 5 },
      { ...base, inRollout: false },
      { ...base, errorKind: "WRONG_TYPE" },
    ];
    const decoded = variants.map((reason) => decodeOne(reason));
    expect(decoded).toEqual(variants);
    expect(new Set(decoded).size).toBe(variants.length);
    // Decoded again (another poll): the same objects.
    variants.forEach((reason, i) => expect(decodeOne(reason)).toBe(decoded[i]));
    // Equal after the zero fields are filled in: one object.
    expect(decodeOne({ kind: "OFF", ruleId: "", ruleIndex: 0 })).toBe(decodeOne({ kind: "OFF" }));
    expect(decodeOne({ kind: "OFF", inRollout: true })).toBe(decodeOne({ kind: "OFF", inRollout: true }));
  });
});

describe("decodeV2Flags' flag states", () => {
  const reason = { kind: "FALLTHROUGH", inRollout: true };

  it("shares one frozen state between boolean flags with the same value and reason, and keeps a boolean flag's other value", () => {
    const flags = decodeV2Flags(
      {
        flags: {
          a: { type: "boolean", value: true, enabled: true, reason },
          b: { type: "boolean", value: true, enabled: true, reason },
          off: { type: "boolean", value: false, enabled: false, reason },
          list: { type: "boolean", value: [1, 2], enabled: true, reason },
        },
      },
      "test",
    );
    expect(flags.get("b")).toBe(flags.get("a"));
    expect(flags.get("off")).toEqual({ type: "boolean", enabled: false, value: false, reason });
    expect(flags.get("off")).not.toBe(flags.get("a"));
    expect(flags.get("list")).toEqual({ type: "boolean", enabled: true, value: [1, 2], reason });
    expect(Object.isFrozen(flags.get("a"))).toBe(true);
  });

  it("shares the previous table's keys when they come in the same order, and builds its own when they do not", () => {
    const flag = (value: string) => ({ type: "string", value, enabled: true, reason });
    const first = decodeV2Flags({ flags: { a: flag("1"), b: flag("2") } }, "test");
    const same = decodeV2Flags({ flags: { a: flag("3"), b: flag("2") } }, "test", first);
    expect(same.order).toBe(first.order);
    expect(same.get("a")!.value).toBe("3");
    expect(same.get("b")).toBe(first.get("b"));
    const swapped = decodeV2Flags({ flags: { b: flag("2"), a: flag("1") } }, "test", first);
    expect(swapped.order).not.toBe(first.order);
    expect([...swapped.keys()]).toEqual(["b", "a"]);
    // Out of order, each flag still finds its prior state by key.
    expect(swapped.get("a")).toBe(first.get("a"));
    expect(swapped.get("b")).toBe(first.get("b"));
    const fewer = decodeV2Flags({ flags: { a: flag("1") } }, "test", first);
    expect(fewer.order).not.toBe(first.order);
    expect(fewer.get("b")).toBeUndefined();
    expect(fewer.size).toBe(1);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["its type", { type: "string", value: "x", enabled: true }, { type: "boolean", value: "x", enabled: true }],
    ["enabled", { type: "string", value: "x", enabled: true }, { type: "string", value: "x", enabled: false }],
    ["its reason", { type: "string", value: "x", enabled: true, reason: { kind: "OFF" } }, { type: "string", value: "x", enabled: true, reason: { kind: "TARGET_MATCH" } }],
  ])("does not lend the previous state to a flag whose %s changed", (_what, before, after) => {
    const first = decodeV2Flags({ flags: { f: before } }, "test");
    const second = decodeV2Flags({ flags: { f: after } }, "test", first);
    expect(second.get("f")).not.toBe(first.get("f"));
    expect(second.get("f")).toMatchObject({ type: after.type, enabled: after.enabled, value: after.value });
  });
});

describe("decodeV2Flags' and decodeV1Flags' errors", () => {
  const issuesOf = (decode: () => unknown) => {
    try {
      decode();
    } catch (error) {
      expect(error).toBeInstanceOf(PayloadError);
      return (error as PayloadError).issues;
    }
    throw new Error("expected a PayloadError");
  };

  it("names the envelope's problem", () => {
    expect(issuesOf(() => decodeV2Flags({ flags: [] }, "test"))).toEqual([{ path: "flags", message: "expected an object keyed by flag key" }]);
    expect(issuesOf(() => decodeV2Flags("flags", "test"))).toEqual([{ path: "", message: expect.any(String) }]);
    expect(issuesOf(() => decodeV2Flags(null, "test"))).toHaveLength(1);
    expect(issuesOf(() => decodeV2Flags({ flags: "dark" }, "test"))).toEqual([{ path: "flags", message: "expected an object keyed by flag key" }]);
  });

  it("names at most 10 issues when flags have several each", () => {
    const bad = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`bad${i}`, { type: 5, enabled: "yes" }]));
    expect(issuesOf(() => decodeV2Flags({ flags: bad }, "test"))).toHaveLength(10);
    const v1 = { ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`bad${i}`, "yes"])), last: true };
    const reasons = { last: { kind: "OFF", ruleId: 5, ruleIndex: -1, inRollout: "yes" } };
    expect(issuesOf(() => decodeV1Flags({ flags: v1, reasons }, "test"))).toHaveLength(10);
  });

  it("names at most 10 issues, however many flags are wrong", () => {
    const bad = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`bad${i}`, { type: "number", value: "x", enabled: "yes" }]));
    const issues = issuesOf(() => decodeV2Flags({ flags: bad }, "test"));
    expect(issues).toHaveLength(10);
    expect(issues[0]!.path).toMatch(/^flags\.bad0\./);
    const v1 = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`bad${i}`, "yes"]));
    expect(issuesOf(() => decodeV1Flags({ flags: v1 }, "test"))).toEqual(Array.from({ length: 10 }, (_, i) => ({ path: `flags.bad${i}`, message: "expected a boolean" })));
  });

  it("names a v1 reason's problem under reasons.<key>, and ignores a reason for no flag", () => {
    const issues = issuesOf(() => decodeV1Flags({ flags: { a: true }, reasons: { a: { kind: "OFF", ruleIndex: -1 } } }, "test"));
    expect(issues.map((issue) => issue.path)).toEqual(["reasons.a.ruleIndex"]);
    const flags = decodeV1Flags({ flags: { a: true, b: false }, reasons: { b: { kind: "OFF" }, z: { kind: "OFF", ruleIndex: -1 } } }, "test");
    expect(flags.get("a")!.reason).toEqual({ kind: "UNKNOWN" });
    expect(flags.get("b")!.reason).toEqual({ kind: "OFF" });
  });

  it("rejects a v1 body without flags", () => {
    expect(issuesOf(() => decodeV1Flags({ reasons: {} }, "test"))[0]!.path).toBe("flags");
  });
});

describe("decodeV2Flags' shared reasons, bounded", () => {
  it("keeps at most 1,024 distinct rule reasons: more rule ids than that are decoded, not kept", async () => {
    // A module of its own: the table is per process, and the tests above put reasons in it.
    let decode: typeof decodeV2Flags = decodeV2Flags;
    await jest.isolateModulesAsync(async () => {
      ({ decodeV2Flags: decode } = await import("../../src/transport/decode-flags"));
    });
    const reasonOf = (ruleId: string) => decode({ flags: { f: { type: "boolean", value: true, enabled: true, reason: { kind: "RULE_MATCH", ruleId } } } }, "test").get("f")!.reason;
    const kept = Array.from({ length: 1024 }, (_, i) => reasonOf(`rule-${i}`));
    expect(reasonOf("rule-0")).toBe(kept[0]);
    expect(reasonOf("rule-1023")).toBe(kept[1023]);
    const past = reasonOf("rule-1024");
    expect(past).toEqual({ kind: "RULE_MATCH", ruleId: "rule-1024", ruleIndex: 0, inRollout: false });
    expect(reasonOf("rule-1024")).not.toBe(past);
    // The common reasons (a kind, maybe in rollout) stay shared with the table full.
    const common = (reason: Record<string, unknown>) => decode({ flags: { f: { type: "boolean", value: true, enabled: true, reason } } }, "test").get("f")!.reason;
    const rollout = common({ kind: "TARGET_MATCH", inRollout: true, ruleId: "", ruleIndex: 0 });
    expect(rollout).toStrictEqual({ kind: "TARGET_MATCH", inRollout: true });
    expect(common({ kind: "TARGET_MATCH", inRollout: true })).toBe(rollout);
    expect(common({ kind: "TARGET_MATCH", ruleIndex: 0 })).toBe(common({ kind: "TARGET_MATCH" }));
  });

  it("builds a kind's common reasons right the first time they are met", async () => {
    let decode: typeof decodeV2Flags = decodeV2Flags;
    await jest.isolateModulesAsync(async () => {
      ({ decodeV2Flags: decode } = await import("../../src/transport/decode-flags"));
    });
    const reasonOf = (reason: Record<string, unknown>) => decode({ flags: { f: { type: "boolean", value: true, enabled: true, reason } } }, "test").get("f")!.reason;
    expect(reasonOf({ kind: "FALLTHROUGH", inRollout: true })).toStrictEqual({ kind: "FALLTHROUGH", inRollout: true });
    expect(reasonOf({ kind: "FALLTHROUGH" })).toStrictEqual({ kind: "FALLTHROUGH", inRollout: false });
    expect(reasonOf({ kind: "OFF", inRollout: true })).toStrictEqual({ kind: "OFF", inRollout: true });
  });
});
