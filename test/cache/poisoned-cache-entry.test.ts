import fc from "fast-check";
import { parseCacheEntry, serializeCacheEntry } from "../../src/cache/cache-entry";
import type { CacheStore } from "../../src/cache/cache-store";
import { loadCachedFlags } from "../../src/cache/load-cached-flags";
import type { Logger } from "../../src/logger/logger";
import { decodeV2Flags } from "../../src/transport/decode-flags";
import type { FlagState } from "../../src/model/flag-state";

/**
 * Issue 13 item 5: a cache value nested 5,000 deep (a tampered shared store) made init() reject
 * with a RangeError. Every load path is total: any bytes in, flags or one warning out. And a JSON
 * value served from the cache is as immutable as one from the wire.
 */

const KEY = "flags-0123456789abcdef0123456789abcdef";
const SAVED_AT = 1_700_000_000_000;

function deepValue(depth: number): string {
  return `${"[".repeat(depth)}1${"]".repeat(depth)}`;
}

function entryWithValue(valueJson: string): string {
  return `{"version":1,"savedAt":${SAVED_AT},"flags":{"cfg":{"type":"json","enabled":true,"value":${valueJson},"reason":{"kind":"FALLTHROUGH"}}}}`;
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (m) => warnings.push(m) };
}

function storeReturning(load: () => unknown): CacheStore {
  return { load: load as CacheStore["load"], save: async () => undefined };
}

async function loadFrom(store: CacheStore) {
  const logger = recordingLogger();
  const loaded = await loadCachedFlags({ store, key: KEY, nowMs: SAVED_AT, ttl: 300, maxAge: 86_400, logger });
  return { loaded, warnings: logger.warnings };
}

describe("a poisoned cache entry", () => {
  it.each([5_000, 100_000])("rejects a value nested %p deep with a reason, not a RangeError", (depth) => {
    const parsed = parseCacheEntry(entryWithValue(deepValue(depth)));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(/flags\.cfg\.value/);
  });

  it.each([
    ["a value nested 5,000 deep", async () => entryWithValue(deepValue(5_000))],
    ["a number instead of text", async () => 42],
    ["an object instead of text", async () => ({ version: 1 })],
    ["a Buffer", async () => Buffer.from("{}")],
    ["a store that throws synchronously", () => {
      throw new RangeError("Maximum call stack size exceeded");
    }],
    ["a store that returns no promise", () => entryWithValue("1")],
    ["a store whose promise rejects with a non-error", () => Promise.reject(Symbol("x"))],
    ["NUL bytes", async () => "\u0000".repeat(100)],
    ["a flag named __proto__ with a deep value", async () => entryWithValue(deepValue(70)).replace('"cfg"', '"__proto__"')],
  ])("loads %s as no flags and one warning, never a rejection", async (_name, load) => {
    const { loaded, warnings } = await loadFrom(storeReturning(load));
    if (loaded === undefined) expect(warnings).toHaveLength(1);
    else expect(warnings).toHaveLength(0);
  });

  it("quotes a corrupt entry in its warning only redacted", async () => {
    const { loaded, warnings } = await loadFrom(storeReturning(async () => '{"version":1,"savedAt":0,"flags":{"rg_server_d3adb33f0000":{"type":"bad"}}}'));
    expect(loaded).toBeUndefined();
    expect(warnings.join("\n")).not.toContain("d3adb33f");
  });

  it("accepts a value as deep as the wire accepts", async () => {
    expect(parseCacheEntry(entryWithValue(deepValue(60))).ok).toBe(true);
  });
});

describe("loading any bytes", () => {
  const nested = fc
    .tuple(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(["[", "]"], ['{"a":', "}"]))
    .map(([depth, [open, close]]) => entryWithValue(`${open!.repeat(depth)}1${close!.repeat(depth)}`));
  const anyText = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.json(), nested);

  it("gives flags and no warning, or no flags and exactly one warning; never a rejection", async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        const { loaded, warnings } = await loadFrom(storeReturning(async () => text));
        expect(warnings).toHaveLength(loaded === undefined ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("JSON values from the cache", () => {
  it("are deeply frozen, like the wire's", () => {
    const flags = new Map<string, FlagState>([["cfg", { type: "json", enabled: true, value: { a: { b: [1, { c: 2 }] } }, reason: { kind: "FALLTHROUGH" } }]]);
    const parsed = parseCacheEntry(serializeCacheEntry({ flags, savedAt: SAVED_AT }));
    if (!parsed.ok) throw new Error(parsed.reason);
    const state = parsed.entry.flags.get("cfg")!;
    const value = state.value as { a: { b: [number, { c: number }] } };
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.reason)).toBe(true);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.a.b)).toBe(true);
    expect(Object.isFrozen(value.a.b[1])).toBe(true);
    expect(() => {
      "use strict";
      value.a.b[1].c = 3;
    }).toThrow(TypeError);

    const wire = decodeV2Flags({ flags: { cfg: { type: "json", enabled: true, value: { a: { b: [1, { c: 2 }] } } } } }, "test").get("cfg")!;
    expect(Object.isFrozen((wire.value as { a: object }).a)).toBe(true);
  });
});
