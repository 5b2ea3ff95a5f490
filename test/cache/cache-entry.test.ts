import { CACHE_FORMAT_VERSION, parseCacheEntry, serializeCacheEntry } from "../../src/cache/cache-entry";
import type { FlagState } from "../../src/model/flag-state";

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
    expect(parsed).toEqual({ ok: true, entry: { flags, savedAt: 1_700_000_000_000, etag: '"v42"' } });
  });

  it("round-trip a shared store's change generation, and omit it when there is none", () => {
    const text = serializeCacheEntry({ flags, savedAt: 3, etag: '"v1"', generation: 7 });
    expect(parseCacheEntry(text)).toEqual({ ok: true, entry: { flags, savedAt: 3, etag: '"v1"', generation: 7 } });
    expect(parseCacheEntry(serializeCacheEntry({ flags, savedAt: 3 }))).toEqual({ ok: true, entry: { flags, savedAt: 3 } });
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
    ["a non-boolean enabled", withChange((e) => ((e["flags"] as Record<string, { enabled: unknown }>)["theme"]!.enabled = "yes")), /^flags\.theme\.enabled: /],
    ["a flag without a value", withChange((e) => delete (e["flags"] as Record<string, { value?: unknown }>)["theme"]!.value), /^flags\.theme\.value: /],
    ["an unknown reason kind", withChange((e) => ((e["flags"] as Record<string, { reason: { kind: string } }>)["theme"]!.reason.kind = "MAYBE")), /^flags\.theme\.reason\.kind: /],
    ["a fractional ruleIndex", withChange((e) => ((e["flags"] as Record<string, { reason: { ruleIndex: number } }>)["theme"]!.reason.ruleIndex = 1.5)), /^flags\.theme\.reason\.ruleIndex: /],
    ["an enabled string flag whose value is a number", withChange((e) => ((e["flags"] as Record<string, { value: unknown }>)["theme"]!.value = 3)), /^flags\.theme\.value: not a string value/],
    ["an enabled JSON flag whose value is a string", withChange((e) => ((e["flags"] as Record<string, { value: unknown }>)["config"]!.value = "x")), /^flags\.config\.value: not a json value/],
    ["a flag that is not an object", withChange((e) => ((e["flags"] as Record<string, unknown>)["theme"] = true)), /^flags\.theme: /],
  ])("%s", (_what, text, reason) => {
    const parsed = parseCacheEntry(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
});
