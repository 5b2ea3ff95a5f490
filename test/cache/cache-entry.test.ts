import { CACHE_FORMAT_VERSION, parseCacheEntry, serializeCacheEntry } from "../../src/cache/cache-entry";
import type { FlagState } from "../../src/model/flag-state";
import { FlagTable } from "../../src/model/flag-table";

const flags = new Map<string, FlagState>([
  ["new-checkout", { type: "boolean", enabled: true, value: true, reason: { kind: "TARGET_MATCH" } }],
  ["theme", { type: "string", enabled: true, value: "dark", reason: { kind: "RULE_MATCH", ruleId: "pro", ruleIndex: 2, inRollout: true } }],
  ["page-size", { type: "number", enabled: false, value: 20, reason: { kind: "OFF" } }],
  ["config", { type: "json", enabled: true, value: { limits: [1, 2, null], nested: { on: true } }, reason: { kind: "FALLTHROUGH", inRollout: false } }],
  ["broken", { type: "boolean", enabled: false, value: false, reason: { kind: "ERROR", errorKind: "MALFORMED_FLAG" } }],
  ["__proto__", { type: "boolean", enabled: true, value: true, reason: { kind: "FALLTHROUGH", inRollout: true } }],
]);

function validEntry(): Record<string, unknown> {
  return JSON.parse(serializeCacheEntry({ flags, savedAt: 1_700_000_000_000, etag: '"v42"' })) as Record<string, unknown>;
}

describe("serializeCacheEntry and parseCacheEntry", () => {
  it("round-trip every flag, its value and its reason, with savedAt and etag", () => {
    const parsed = parseCacheEntry(serializeCacheEntry({ flags, savedAt: 1_700_000_000_000, etag: '"v42"' }));
    expect(parsed).toEqual({ ok: true, entry: { flags: FlagTable.of(flags), savedAt: 1_700_000_000_000, etag: '"v42"' } });
  });

  it("round-trip a shared store's change generation, and omit it when there is none", () => {
    const text = serializeCacheEntry({ flags, savedAt: 3, etag: '"v1"', generation: 7 });
    expect(parseCacheEntry(text)).toEqual({ ok: true, entry: { flags: FlagTable.of(flags), savedAt: 3, etag: '"v1"', generation: 7 } });
    expect(parseCacheEntry(serializeCacheEntry({ flags, savedAt: 3 }))).toEqual({ ok: true, entry: { flags: FlagTable.of(flags), savedAt: 3 } });
  });

  it("keep a flag named __proto__ as an ordinary flag", () => {
    const parsed = parseCacheEntry(serializeCacheEntry({ flags, savedAt: 0 }));
    expect(parsed.ok && parsed.entry.flags.get("__proto__")?.value).toBe(true);
  });

  it("omit etag when there is none", () => {
    const text = serializeCacheEntry({ flags: new Map(), savedAt: 5 });
    expect(JSON.parse(text)).toEqual({ version: CACHE_FORMAT_VERSION, savedAt: 5, flags: {} });
    const parsed = parseCacheEntry(text);
    expect(parsed.ok && "etag" in parsed.entry).toBe(false);
  });

  it("write the versioned format and nothing that identifies the client", () => {
    expect(Object.keys(validEntry()).sort()).toEqual(["etag", "flags", "savedAt", "version"]);
    expect(validEntry()["version"]).toBe(1);
  });

  it("leave absent reason fields absent, not undefined", () => {
    const parsed = parseCacheEntry(serializeCacheEntry({ flags, savedAt: 0 }));
    expect(parsed.ok && Object.keys(parsed.entry.flags.get("new-checkout")!.reason)).toEqual(["kind"]);
  });
});

/** An entry's text with these flags (raw, as a store could hold them), without an etag unless given. */
function entryText(rawFlags: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: CACHE_FORMAT_VERSION, savedAt: 1_700_000_000_000, ...header, flags: rawFlags });
}

function parsedFlags(text: string): ReadonlyMap<string, FlagState> {
  const parsed = parseCacheEntry(text);
  if (!parsed.ok) throw new Error(`rejected: ${parsed.reason}`);
  return parsed.entry.flags;
}

describe("parseCacheEntry of a valid entry", () => {
  // Every field a reason can carry, each as a store writes it.
  const reasons: Record<string, Record<string, unknown>> = {
    "a bare kind": { kind: "OFF" },
    "a rule id and index": { kind: "RULE_MATCH", ruleId: "pro", ruleIndex: 2, inRollout: true },
    "rule index 0": { kind: "RULE_MATCH", ruleId: "first", ruleIndex: 0, inRollout: false },
    "an error kind": { kind: "ERROR", errorKind: "WRONG_TYPE" },
  };

  // A fleet's store is read on a new user's request path: consecutive flags with equal reasons
  // share one frozen reason object, so 10,000 flags do not hold 10,000 copies of "FALLTHROUGH".
  it.each(Object.entries(reasons))("shares one reason object between consecutive flags with %s", (_what, reason) => {
    const flags = parsedFlags(
      entryText({
        a: { type: "boolean", enabled: true, value: true, reason },
        b: { type: "string", enabled: true, value: "dark", reason },
        c: { type: "number", enabled: true, value: 3, reason },
        d: { type: "json", enabled: true, value: { on: true }, reason },
      }),
    );
    expect(flags.get("a")!.reason).toEqual(reason);
    for (const key of ["b", "c", "d"]) expect(flags.get(key)!.reason).toBe(flags.get("a")!.reason);
    expect(Object.isFrozen(flags.get("a")!.reason)).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ["with an etag", { etag: '"v1"' }],
    ["saved at time 0", { savedAt: 0 }],
  ])("shares reasons %s too", (_what, header) => {
    const reason = { kind: "FALLTHROUGH", inRollout: true };
    const flags = parsedFlags(entryText({ a: { type: "boolean", enabled: true, value: true, reason }, b: { type: "boolean", enabled: false, value: false, reason } }, header));
    expect(flags.get("b")!.reason).toBe(flags.get("a")!.reason);
  });

  it("shares reasons between disabled flags whose value does not have their type (the getters serve the default)", () => {
    const reason = { kind: "OFF" };
    const flags = parsedFlags(entryText({ a: { type: "string", enabled: false, value: 20, reason }, b: { type: "json", enabled: false, value: null, reason } }));
    expect(flags.get("a")).toMatchObject({ type: "string", enabled: false, value: 20 });
    expect(flags.get("b")!.reason).toBe(flags.get("a")!.reason);
  });

  it("gives each flag its own reason when consecutive reasons differ in any one field", () => {
    const base = { kind: "RULE_MATCH", ruleId: "pro", ruleIndex: 2, inRollout: true };
    // Each variant follows a flag with the base reason.
    const variants: Record<string, unknown>[] = [
      base,
      { ...base, kind: "FALLTHROUGH" },
      base,
      { ...base, ruleId: "beta" },
      base,
      { ...base, ruleIndex: 3 },
      base,
      { ...base, inRollout: false },
      base,
      { ...base, errorKind: "WRONG_TYPE" },
      { ...base, errorKind: "EXCEPTION" },
    ];
    const flags = parsedFlags(entryText(Object.fromEntries(variants.map((reason, i) => [`f${i}`, { type: "boolean", enabled: true, value: true, reason }]))));
    expect([...flags.values()].map((flag) => flag.reason)).toEqual(variants);
  });

  it("reads back an enabled boolean flag whose value is not a boolean, as the wire accepts it (isEnabled reads enabled)", () => {
    const flags = parsedFlags(entryText({ a: { type: "boolean", enabled: true, value: "yes", reason: { kind: "OFF" } } }));
    expect(flags.get("a")).toMatchObject({ type: "boolean", enabled: true, value: "yes" });
  });

  it("keeps a reason with only a rule id, or only a rule index, whole (it is not one of the shared simple reasons)", () => {
    const flags = parsedFlags(
      entryText({
        a: { type: "boolean", enabled: true, value: true, reason: { kind: "TARGET_MATCH", ruleId: "vip" } },
        b: { type: "boolean", enabled: true, value: true, reason: { kind: "RULE_MATCH", ruleIndex: 3, inRollout: true } },
      }),
    );
    expect(flags.get("a")!.reason).toEqual({ kind: "TARGET_MATCH", ruleId: "vip" });
    expect(flags.get("b")!.reason).toMatchObject({ kind: "RULE_MATCH", ruleIndex: 3, inRollout: true });
  });

  it("keeps the type of a disabled typed flag whose value is false (a v2 server sends false for it)", () => {
    const flags = parsedFlags(entryText({ a: { type: "string", enabled: false, value: false, reason: { kind: "OFF" } } }));
    expect(flags.get("a")).toMatchObject({ type: "string", enabled: false, value: false });
  });

  // A fleet reads one entry per new user: boolean states and simple reasons are shared by every
  // entry read, so that a user's flags hold little more than their Map.
  it("shares boolean states and simple reasons between flags and between entries", () => {
    const text = entryText({
      a: { type: "boolean", enabled: true, value: true, reason: { kind: "FALLTHROUGH", inRollout: true } },
      b: { type: "string", enabled: true, value: "x", reason: { kind: "OFF" } },
      c: { type: "boolean", enabled: true, value: true, reason: { kind: "FALLTHROUGH", inRollout: true } },
    });
    const first = parsedFlags(text);
    const second = parsedFlags(text);
    expect(first.get("c")).toBe(first.get("a"));
    expect(second.get("a")).toBe(first.get("a"));
    expect(second.get("b")!.reason).toBe(first.get("b")!.reason);
  });

  // A polluted Object.prototype (a vulnerable dependency) must not slip flags into what is served.
  it("reads only the entry's own flags, not enumerable properties of Object.prototype", () => {
    const text = entryText({ a: { type: "boolean", enabled: true, value: true, reason: { kind: "OFF" } } });
    Object.defineProperty(Object.prototype, "injected", { value: { type: "boolean", enabled: true, value: true, reason: { kind: "OFF" } }, enumerable: true, configurable: true });
    try {
      expect([...parsedFlags(text).keys()]).toEqual(["a"]);
    } finally {
      delete (Object.prototype as Record<string, unknown>)["injected"];
    }
  });

  // Users of a fleet mostly share their flags: the entry read last lends its typed states to the
  // flags that equal them, so a cached user holds no frozen copies of another's values.
  it("shares the last entry's typed states where a flag equals it (by value, type, enabled and reason), and only there", () => {
    const fallthrough = { kind: "FALLTHROUGH", inRollout: true };
    const first = parsedFlags(
      entryText({
        theme: { type: "string", enabled: true, value: "dark", reason: fallthrough },
        size: { type: "number", enabled: true, value: 20, reason: fallthrough },
        config: { type: "json", enabled: true, value: { limits: [1, 2], on: true }, reason: fallthrough },
        label: { type: "string", enabled: true, value: "a", reason: fallthrough },
        banner: { type: "string", enabled: true, value: "b", reason: fallthrough },
        count: { type: "number", enabled: true, value: 1, reason: fallthrough },
      }),
    );
    const second = parsedFlags(
      entryText({
        theme: { type: "string", enabled: true, value: "dark", reason: fallthrough },
        size: { type: "number", enabled: true, value: 21, reason: fallthrough },
        config: { type: "json", enabled: true, value: { on: true, limits: [1, 2] }, reason: fallthrough },
        label: { type: "string", enabled: true, value: "a", reason: { kind: "OFF" } },
        banner: { type: "string", enabled: false, value: "b", reason: fallthrough },
        // Another position: found by key.
        extra: { type: "number", enabled: true, value: 5, reason: fallthrough },
        count: { type: "number", enabled: true, value: 1, reason: fallthrough },
      }),
    );
    expect(second.get("theme")).toBe(first.get("theme"));
    expect(second.get("config")).toBe(first.get("config"));
    expect(second.get("count")).toBe(first.get("count"));
    expect(second.get("size")).not.toBe(first.get("size"));
    expect(second.get("label")).not.toBe(first.get("label"));
    expect(second.get("banner")).not.toBe(first.get("banner"));
    expect(Object.fromEntries([...second].map(([key, state]) => [key, [state.type, state.enabled, state.value, state.reason.kind]]))).toEqual({
      theme: ["string", true, "dark", "FALLTHROUGH"],
      size: ["number", true, 21, "FALLTHROUGH"],
      config: ["json", true, { limits: [1, 2], on: true }, "FALLTHROUGH"],
      label: ["string", true, "a", "OFF"],
      banner: ["string", false, "b", "FALLTHROUGH"],
      extra: ["number", true, 5, "FALLTHROUGH"],
      count: ["number", true, 1, "FALLTHROUGH"],
    });
    expect(Object.isFrozen(second.get("size")) && Object.isFrozen(second.get("config")!.value)).toBe(true);
  });
});

describe("parseCacheEntry rejects, without throwing,", () => {
  const withChange = (change: (entry: Record<string, unknown>) => void): string => {
    const entry = validEntry();
    change(entry);
    return JSON.stringify(entry);
  };
  const full = serializeCacheEntry({ flags, savedAt: 1 });

  it.each<[string, string, RegExp]>([
    ["an empty file", "", /not valid JSON/],
    ["a truncated file", full.slice(0, full.length - 7), /not valid JSON/],
    ["a file cut in half", full.slice(0, full.length / 2), /not valid JSON/],
    ["binary garbage", "\u0000\u0001\u00ff", /not valid JSON/],
    ["a JSON array", "[]", /not a JSON object/],
    ["JSON null", "null", /not a JSON object/],
    ["a newer format version", withChange((e) => (e["version"] = 2)), /format version 2, but this client reads version 1/],
    ["a file without a version", withChange((e) => delete e["version"]), /format version \(missing\)/],
    ["the version as a string", withChange((e) => (e["version"] = "1")), /format version "1"/],
    ["a negative savedAt", withChange((e) => (e["savedAt"] = -1)), /^savedAt: /],
    ["a missing savedAt", withChange((e) => delete e["savedAt"]), /^savedAt: /],
    ["a fractional generation", withChange((e) => (e["generation"] = 1.5)), /^generation: /],
    ["a negative generation", withChange((e) => (e["generation"] = -1)), /^generation: /],
    ["a numeric etag", withChange((e) => (e["etag"] = 7)), /^etag: /],
    ["flags as an array", withChange((e) => (e["flags"] = [])), /^flags: expected an object of flags/],
    ["a flag of unknown type", withChange((e) => ((e["flags"] as Record<string, { type: string }>)["theme"]!.type = "date")), /^flags\.theme\.type: /],
    // A disabled flag's value is never served: its type alone must be checked.
    ["a disabled flag of unknown type", withChange((e) => ((e["flags"] as Record<string, { type: string }>)["page-size"]!.type = "date")), /^flags\.page-size\.type: /],
    ["a non-boolean enabled", withChange((e) => ((e["flags"] as Record<string, { enabled: unknown }>)["theme"]!.enabled = "yes")), /^flags\.theme\.enabled: /],
    ["a flag without a value", withChange((e) => delete (e["flags"] as Record<string, { value?: unknown }>)["theme"]!.value), /^flags\.theme\.value: /],
    ["an unknown reason kind", withChange((e) => ((e["flags"] as Record<string, { reason: { kind: string } }>)["theme"]!.reason.kind = "MAYBE")), /^flags\.theme\.reason\.kind: /],
    ["a fractional ruleIndex", withChange((e) => ((e["flags"] as Record<string, { reason: { ruleIndex: number } }>)["theme"]!.reason.ruleIndex = 1.5)), /^flags\.theme\.reason\.ruleIndex: /],
    ["an enabled string flag whose value is a number", withChange((e) => ((e["flags"] as Record<string, { value: unknown }>)["theme"]!.value = 3)), /^flags\.theme\.value: not a string value/],
    ["an enabled JSON flag whose value is a string", withChange((e) => ((e["flags"] as Record<string, { value: unknown }>)["config"]!.value = "x")), /^flags\.config\.value: not a json value/],
    ["a flag that is not an object", withChange((e) => ((e["flags"] as Record<string, unknown>)["theme"] = true)), /^flags\.theme: /],
    ["a flag that is null", withChange((e) => ((e["flags"] as Record<string, unknown>)["theme"] = null)), /^flags\.theme: /],
    ["a JSON number", "5", /^not a JSON object$/],
    ["a JSON string", '"flags"', /^not a JSON object$/],
    ["flags as null", withChange((e) => (e["flags"] = null)), /^flags: expected an object of flags$/],
    ["flags as a string", withChange((e) => (e["flags"] = "theme")), /^flags: expected an object of flags$/],
    ["an enabled JSON flag whose value is null", withChange((e) => ((e["flags"] as Record<string, { value: unknown }>)["config"]!.value = null)), /^flags\.config\.value: not a json value$/],
    ["a negative ruleIndex", withChange((e) => ((e["flags"] as Record<string, { reason: { ruleIndex: number } }>)["theme"]!.reason.ruleIndex = -1)), /^flags\.theme\.reason\.ruleIndex: /],
    ["a numeric ruleId", withChange((e) => ((e["flags"] as Record<string, { reason: { ruleId: unknown } }>)["theme"]!.reason.ruleId = 7)), /^flags\.theme\.reason\.ruleId: /],
    ["inRollout as a string", withChange((e) => ((e["flags"] as Record<string, { reason: { inRollout: unknown } }>)["theme"]!.reason.inRollout = "yes")), /^flags\.theme\.reason\.inRollout: /],
    ["an unknown errorKind", withChange((e) => ((e["flags"] as Record<string, { reason: { errorKind: unknown } }>)["broken"]!.reason.errorKind = "OOPS")), /^flags\.broken\.reason\.errorKind: /],
  ])("%s", (_what, text, reason) => {
    const parsed = parseCacheEntry(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });

  it("one issue: its path and zod's message, nothing more", () => {
    expect(parseCacheEntry('{"version":1,"savedAt":1,"etag":7,"flags":{}}')).toEqual({ ok: false, reason: "etag: Invalid input: expected string, received number" });
    expect(parseCacheEntry('{"version":1,"savedAt":1,"flags":{"a":{"type":"boolean","enabled":"x","value":true,"reason":{"kind":"OFF"}}}}')).toEqual({
      ok: false,
      reason: "flags.a.enabled: Invalid input: expected boolean, received string",
    });
  });

  it("what a custom store returns that is not text, naming it", () => {
    expect(parseCacheEntry(null as unknown as string)).toEqual({ ok: false, reason: "the store returned null, not text" });
    expect(parseCacheEntry(42 as unknown as string)).toEqual({ ok: false, reason: "the store returned a number, not text" });
  });

  it("an entry with several issues, naming the first and counting the others", () => {
    const text = withChange((e) => {
      e["savedAt"] = -1;
      e["etag"] = 7;
    });
    expect(parseCacheEntry(text)).toEqual({ ok: false, reason: expect.stringMatching(/^savedAt: .* \(and 1 more issues\)$/) });
  });
});
