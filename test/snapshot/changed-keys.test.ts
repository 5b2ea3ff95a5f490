import { changedKeys } from "../../src/snapshot/changed-keys";
import { emptySnapshot, type FlagSnapshot } from "../../src/model/flag-snapshot";
import type { FlagState } from "../../src/model/flag-state";
import { FlagTable } from "../../src/model/flag-table";

const on: FlagState = { type: "boolean", enabled: true, value: true, reason: { kind: "OFF" } };
const text = (value: string): FlagState => ({ type: "string", enabled: true, value, reason: { kind: "OFF" } });
const snapshot = (entries: [string, FlagState][]): FlagSnapshot => ({ ...emptySnapshot(undefined), flags: FlagTable.of(entries) });

describe("changedKeys", () => {
  it("reports changed values, added and removed flags, not equal values in new objects", () => {
    const before = snapshot([["a", on], ["b", text("x")], ["c", text("y")], ["d", { type: "json", enabled: true, value: { n: 1 }, reason: { kind: "OFF" } }]]);
    const after = snapshot([["a", on], ["b", text("x")], ["c", text("z")], ["d", { type: "json", enabled: true, value: { n: 1 }, reason: { kind: "OFF" } }], ["e", on]]);
    expect(changedKeys(before, after)).toEqual(["c", "e"]);
  });

  it("reports a removed flag when as many flags were added, so the sizes match", () => {
    const before = snapshot([["a", on], ["b", on]]);
    const after = snapshot([["a", on], ["c", on]]);
    expect(changedKeys(before, after).sort()).toEqual(["b", "c"]);
  });

  it("reports nothing for the same flag map", () => {
    const before = snapshot([["a", on]]);
    expect(changedKeys(before, { ...before, stale: true })).toEqual([]);
  });
});
