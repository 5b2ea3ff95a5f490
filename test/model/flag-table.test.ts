import { FlagCode, FlagKeys, FlagTable, NO_FLAGS } from "../../src/model/flag-table";
import { codeAt, servedAt, SlotLayout } from "../../src/model/flag-cells";
import type { FlagState } from "../../src/model/flag-state";
import { servedValue, servedValueFor, servedValueOr } from "../../src/snapshot/served-value";

const reason = Object.freeze({ kind: "FALLTHROUGH" as const });
const state = (type: FlagState["type"], enabled: boolean, value: FlagState["value"]): FlagState => Object.freeze({ type, enabled, value, reason });

const STATES: ReadonlyArray<readonly [string, FlagState]> = [
  ["on", state("boolean", true, true)],
  ["off", state("boolean", false, false)],
  ["theme", state("string", true, "dark")],
  ["theme-off", state("string", false, false)],
  ["size", state("number", true, 20)],
  ["size-off", state("number", false, false)],
  ["config", state("json", true, { max: 3 })],
  ["list", state("json", true, [1, 2])],
  ["config-off", state("json", false, false)],
  ["__proto__", state("boolean", true, true)],
];

describe("FlagTable", () => {
  const table = FlagTable.of(STATES);

  it("answers as a read-only map of its entries, in their order, a flag named __proto__ included", () => {
    const map = new Map(STATES);
    expect(table.size).toBe(map.size);
    expect([...table]).toEqual([...map]);
    expect([...table.entries()]).toEqual([...map.entries()]);
    expect([...table.keys()]).toEqual([...map.keys()]);
    expect([...table.values()]).toEqual([...map.values()]);
    for (const [key, value] of STATES) {
      expect(table.get(key)).toBe(value);
      expect(table.has(key)).toBe(true);
    }
    expect(table.get("missing")).toBeUndefined();
    expect(table.has("missing")).toBe(false);
    expect(table.get("toString")).toBeUndefined();
    const seen: unknown[] = [];
    const context = { name: "context" };
    table.forEach(function (this: unknown, value, key, owner) {
      seen.push([key, value, owner === table, this === context]);
    }, context);
    expect(seen).toEqual(STATES.map(([key, value]) => [key, value, true, true]));
    expect(Object.fromEntries(table)).toEqual(Object.fromEntries(map));
  });

  it("keeps per position a code of type and enabled, and the value served", () => {
    const codeOf = (key: string) => codeAt(table.cells, table.positions.get(key)!);
    expect(codeOf("on")).toBe(FlagCode.Enabled);
    expect(codeOf("off")).toBe(0);
    expect(codeOf("theme")).toBe(FlagCode.ServedString);
    expect(codeOf("theme-off")).toBe(FlagCode.ServedString - FlagCode.Enabled);
    expect(codeOf("size")).toBe(FlagCode.ServedNumber);
    expect(codeOf("size-off")).toBe(FlagCode.ServedNumber - FlagCode.Enabled);
    expect(codeOf("config")).toBe(FlagCode.ServedJson);
    expect(codeOf("config-off")).toBe(FlagCode.ServedJson - FlagCode.Enabled);
    for (const [key, value] of STATES) expect(servedAt(table.cells, table.positions.get(key)!)).toEqual(servedValue(value));
    // Two cells per flag, the slot then the value; a new table's slots hold the codes alone (no
    // evaluation counted yet).
    expect(table.cells).toHaveLength(2 * STATES.length);
    STATES.forEach(([key], position) => expect([key, table.cells[2 * position], table.cells[2 * position + 1]]).toEqual([key, codeOf(key), servedAt(table.cells, position)]));
  });

  it("reads a flag's code whatever its slot has counted, up to the largest count", () => {
    const at = 2 * table.positions.get("theme")!;
    const code = table.cells[at] as number;
    try {
      for (const count of [1, 2 ** 20, 2 ** 26 - 2, 2 ** 26 - 1]) {
        table.cells[at] = code + count * SlotLayout.OneEvaluation;
        expect([count, codeAt(table.cells, at / 2), (table.cells[at] as number) >>> SlotLayout.CountShift]).toEqual([count, FlagCode.ServedString, count]);
      }
      // The largest slot is below 2^30, a small integer for V8; one more evaluation wraps its count.
      expect(table.cells[at]).toBe(2 ** 30 - SlotLayout.OneEvaluation + FlagCode.ServedString);
      expect(((table.cells[at] as number) + SlotLayout.OneEvaluation) & SlotLayout.Wrap).toBe(FlagCode.ServedString);
    } finally {
      table.cells[at] = code;
    }
  });

  it("serves by position what servedValueFor serves from the state, or the default where that serves nothing, for every kind of default", () => {
    const defaults: unknown[] = [undefined, null, false, true, "d", "", 0, 7, {}, { max: 1 }, [], [9], () => 1];
    for (const [key, value] of STATES) {
      const position = table.positions.get(key)!;
      for (const defaultValue of defaults) {
        const served = servedValueFor(value, defaultValue);
        expect([key, defaultValue, servedValueOr(table.cells, position, codeAt(table.cells, position), defaultValue)]).toEqual([key, defaultValue, served === undefined ? defaultValue : served]);
      }
    }
  });

  it("holds nothing when empty", () => {
    expect(NO_FLAGS.size).toBe(0);
    expect([...NO_FLAGS]).toEqual([]);
    expect(NO_FLAGS.get("on")).toBeUndefined();
  });
});

describe("FlagKeys", () => {
  it("is shared by tables with the same keys in the same order, and by no other", () => {
    const first = FlagTable.of(STATES);
    expect(FlagTable.of(STATES, first.order).order).toBe(first.order);
    expect(FlagTable.of([...STATES].reverse(), first.order).order).not.toBe(first.order);
    expect(FlagTable.of(STATES.slice(1), first.order).order).not.toBe(first.order);
    expect(FlagTable.of([...STATES, ["extra", state("boolean", true, true)]], first.order).order).not.toBe(first.order);
    const renamed = STATES.map(([key, value], index): [string, FlagState] => [index === 4 ? "other" : key, value]);
    expect(FlagTable.of(renamed, first.order).order).not.toBe(first.order);
    expect(FlagTable.of(STATES).order).not.toBe(first.order);
  });

  it("gives each key its position", () => {
    const keys = FlagKeys.of(["a", "b", "c"]);
    expect([...keys.positions]).toEqual([
      ["a", 0],
      ["b", 1],
      ["c", 2],
    ]);
    expect(keys.list).toEqual(["a", "b", "c"]);
  });
});
