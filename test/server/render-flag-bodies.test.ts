import type { FlagDefinition } from "../../src/model/flag-model";
import { FlagStore } from "../../src/server/flag-store";
import { renderV2Flags } from "../../src/server/render-flag-bodies";

const proRule = { id: "pro", enabled: true, conditions: [{ attribute: "plan", operator: "eq", value: "pro" }], rolloutPercentage: 100 } as const;

/** A typed flag serving `pro` to users on the pro plan (RULE_MATCH) and `free` to the others (FALLTHROUGH). */
function themeFlag(pro: unknown, free: unknown): FlagDefinition {
  return {
    key: "theme",
    enabled: true,
    rolloutPercentage: 100,
    variations: { pro, free } as FlagDefinition["variations"],
    defaultVariation: "free",
    rules: [{ ...proRule, variation: "pro" }],
  } as FlagDefinition;
}

const flagsOf = (body: string) => (JSON.parse(body) as { flags: Record<string, { value: unknown; enabled: boolean; reason: { kind: string } }> }).flags;
const pro = { id: "p", attributes: { plan: "pro" } };
const free = { id: "f", attributes: { plan: "free" } };

describe("renderV2Flags", () => {
  it("writes each user's own entry when users alternate between results, never the previous user's", () => {
    const store = new FlagStore({ flags: [themeFlag("dark", "light")] });
    const bodies = [pro, free, free, pro, free].map((user) => flagsOf(renderV2Flags(store, user))["theme"]);
    expect(bodies.map((flag) => [flag!.value, flag!.reason.kind])).toEqual([
      ["dark", "RULE_MATCH"],
      ["light", "FALLTHROUGH"],
      ["light", "FALLTHROUGH"],
      ["dark", "RULE_MATCH"],
      ["light", "FALLTHROUGH"],
    ]);
  });

  it("writes each user's own reason when two users get the same value for different reasons", () => {
    const store = new FlagStore({ flags: [{ key: "beta", enabled: true, rolloutPercentage: 100, targetUsers: ["p"] }] });
    const reasons = [pro, free, pro].map((user) => flagsOf(renderV2Flags(store, user))["beta"]);
    expect(reasons.map((flag) => [flag!.value, flag!.reason.kind])).toEqual([
      [true, "TARGET_MATCH"],
      [true, "FALLTHROUGH"],
      [true, "TARGET_MATCH"],
    ]);
  });

  it("writes the same bytes for the same result, and the new value once the flag changes", () => {
    const store = new FlagStore({ flags: [themeFlag({ b: 2, a: [1, "<"] }, { n: 7.5 })] });
    const first = renderV2Flags(store, free);
    expect(renderV2Flags(store, free)).toBe(first);
    expect(first).toBe('{"flags":{"theme":{"key":"theme","type":"json","value":{"n":7.5},"enabled":true,"reason":{"kind":"FALLTHROUGH","inRollout":true}}}}');
    expect(flagsOf(renderV2Flags(store, pro))["theme"]!.value).toEqual({ a: [1, "<"], b: 2 });
    // Go's map order and escaping, whether or not the entry was written before.
    expect(renderV2Flags(store, pro)).toContain('"value":{"a":[1,"\\u003c"],"b":2}');
    store.setFlag(themeFlag({ b: 2 }, { n: 8 }));
    expect(flagsOf(renderV2Flags(store, free))["theme"]!.value).toEqual({ n: 8 });
    store.setFlag({ ...themeFlag({ b: 2 }, { n: 8 }), enabled: false });
    expect(flagsOf(renderV2Flags(store, free))["theme"]).toMatchObject({ value: false, enabled: false, reason: { kind: "OFF" } });
  });

  it("writes numbers as Go does, with and without an exponent", () => {
    const values = [0, -1.5, 1e21, 1e-7, 123456789.125, 2 ** 53];
    const store = new FlagStore({ flags: values.map((value, i) => ({ key: `n${i}`, enabled: true, rolloutPercentage: 100, variations: { on: value }, defaultVariation: "on" })) });
    const body = renderV2Flags(store, free);
    expect(values.map((_, i) => new RegExp(`"n${i}":\\{[^}]*"value":([^,]*),`).exec(body)?.[1])).toEqual(["0", "-1.5", "1e+21", "1e-7", "123456789.125", "9007199254740992"]);
  });
});
