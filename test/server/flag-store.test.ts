import type { FlagDefinition } from "../../src/server";
import { FlagStore, type FlagChange } from "../../src/server/flag-store";

const segmentRule = (value: string | string[]) => ({
  id: "r",
  enabled: true,
  conditions: [{ attribute: "segment", operator: "in", value }],
});

function storeWith(flags: FlagDefinition[], segments = {}) {
  const store = new FlagStore({ flags, segments });
  const broadcasts: FlagChange[][] = [];
  store.subscribe((changes) => broadcasts.push([...changes]));
  return { store, broadcasts };
}

describe("FlagStore", () => {
  it("lists flags sorted by key", () => {
    const { store } = storeWith([
      { key: "b", enabled: true },
      { key: "a", enabled: false },
    ]);
    expect(store.all.map((flag) => flag.key)).toEqual(["a", "b"]);
    expect(store.all[0]?.encodedKey).toBe('"a"');
  });

  it("reports an added, a modified and a removed flag with the definition's enabled", () => {
    const { store, broadcasts } = storeWith([{ key: "a", enabled: true }]);
    expect(store.setFlag({ key: "b", enabled: true })).toEqual([{ key: "b", enabled: true }]);
    expect(store.setFlag({ key: "a", enabled: false })).toEqual([{ key: "a", enabled: false }]);
    expect(store.deleteFlag("b")).toEqual([{ key: "b", enabled: false }]);
    expect(broadcasts).toHaveLength(3);
  });

  it("reports nothing for an identical definition or a missing flag", () => {
    const { store, broadcasts } = storeWith([{ key: "a", enabled: true, rolloutPercentage: 5 }]);
    expect(store.setFlag({ rolloutPercentage: 5, enabled: true, key: "a" } as FlagDefinition)).toEqual([]);
    expect(store.deleteFlag("zzz")).toEqual([]);
    expect(broadcasts).toEqual([]);
  });

  it("reports every flag referencing a changed segment, by string or array", () => {
    const { store } = storeWith(
      [
        { key: "by-string", enabled: true, rules: [segmentRule("s")] },
        { key: "by-array", enabled: false, rules: [segmentRule(["other", "s"])] },
        { key: "unrelated", enabled: true, rules: [segmentRule("other")] },
      ],
      { s: { conditions: [] }, other: { conditions: [] } },
    );
    const changed = store.setSegment("s", { conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] });
    expect(changed).toEqual([
      { key: "by-array", enabled: false },
      { key: "by-string", enabled: true },
    ]);
    expect(store.setSegment("s", { conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] })).toEqual([]);
    expect(store.deleteSegment("s").map((change) => change.key)).toEqual(["by-array", "by-string"]);
    expect(store.segments).not.toHaveProperty("s");
  });

  it("replaces everything, reporting only differences (including segment changes)", () => {
    const { store } = storeWith(
      [
        { key: "same", enabled: true },
        { key: "modified", enabled: true },
        { key: "removed", enabled: true },
        { key: "via-segment", enabled: true, rules: [segmentRule("s")] },
      ],
      { s: { conditions: [] } },
    );
    const changes = store.replace({
      flags: [
        { key: "same", enabled: true },
        { key: "modified", enabled: false },
        { key: "added", enabled: true },
        { key: "via-segment", enabled: true, rules: [segmentRule("s")] },
      ],
      segments: { s: { conditions: [{ attribute: "a", operator: "eq", value: 1 }] } },
    });
    expect(changes).toEqual([
      { key: "added", enabled: true },
      { key: "modified", enabled: false },
      { key: "removed", enabled: false },
      { key: "via-segment", enabled: true },
    ]);
    expect(store.all.map((flag) => flag.key)).toEqual(["added", "modified", "same", "via-segment"]);
    expect(store.toFile().segments).toEqual({ s: { conditions: [{ attribute: "a", operator: "eq", value: 1 }] } });
  });

  it("keeps a segment called __proto__ an ordinary entry", () => {
    const { store } = storeWith([], {});
    store.setSegment("__proto__", { conditions: [] });
    expect(Object.keys(store.segments)).toEqual(["__proto__"]);
  });
});
