import fc from "fast-check";
import type { JsonValue } from "../../src/model/flag-model";
import type { FlagState, FlagType } from "../../src/model/flag-state";
import { frozenFlagState } from "../../src/snapshot/frozen-flag-state";
import { codeEnabled, codeJson, codeNumber, codeString, codeValueFor, ReadIndex } from "../../src/snapshot/read-index";
import { servedValueFor } from "../../src/snapshot/served-value";

const REASON = Object.freeze({ kind: "FALLTHROUGH" as const });

/** A flag state as the decoders make them: an enabled typed flag's value has its type's kind. */
const stateArbitrary: fc.Arbitrary<FlagState> = fc.oneof(
  fc.boolean().map((on) => frozenFlagState("boolean", on, on, REASON)),
  fc.tuple(fc.boolean(), fc.string()).map(([on, value]) => frozenFlagState("string", on, on ? value : false, REASON)),
  fc.tuple(fc.boolean(), fc.double({ noNaN: true })).map(([on, value]) => frozenFlagState("number", on, on ? value : false, REASON)),
  fc.tuple(fc.boolean(), fc.oneof(fc.dictionary(fc.string(), fc.integer()), fc.array(fc.integer()))).map(([on, value]) => frozenFlagState("json", on, on ? value : false, REASON)),
);

/** Every kind of default a caller may pass. */
const defaults: readonly unknown[] = [undefined, null, false, true, "", "light", 0, 20, {}, { max: 1 }, [], [1], () => 1, 10n];

function indexOf(states: readonly FlagState[], slot: (key: string) => number | undefined = () => undefined): ReadIndex {
  return new ReadIndex(new Map(states.map((state, i) => [`flag-${i}`, state])), slot);
}

describe("ReadIndex", () => {
  it("serves, for every state and every kind of default, what servedValueFor serves from the state", () => {
    fc.assert(
      fc.property(fc.array(stateArbitrary, { minLength: 1, maxLength: 20 }), (states) => {
        const index = indexOf(states);
        states.forEach((state, i) => {
          const code = index.codes.get(`flag-${i}`)!;
          expect(codeEnabled(code)).toBe(state.enabled);
          for (const defaultValue of defaults) expect(codeValueFor(index, code, defaultValue)).toBe(servedValueFor(state, defaultValue));
        });
      }),
    );
  });

  it.each<[FlagType, JsonValue, "string" | "number" | "json"]>([
    ["string", "dark", "string"],
    ["number", 0, "number"],
    ["json", { max: 3 }, "json"],
  ])("serves a %s flag's value only to its own typed getter, and only while it is enabled", (type, value, getter) => {
    const index = indexOf([frozenFlagState(type, true, value, REASON), frozenFlagState(type, false, false, REASON), frozenFlagState("boolean", true, true, REASON)]);
    const read = { string: codeString, number: codeNumber, json: codeJson };
    const [on, off, boolean] = ["flag-0", "flag-1", "flag-2"].map((key) => index.codes.get(key)!) as [number, number, number];
    for (const [name, typed] of Object.entries(read)) {
      expect(typed(index, on)).toBe(name === getter ? value : undefined);
      expect(typed(index, off)).toBeUndefined();
      expect(typed(index, boolean)).toBeUndefined();
    }
  });

  it("has no code for a key the flags do not have, inherited names included", () => {
    const index = indexOf([frozenFlagState("boolean", true, true, REASON)]);
    for (const key of ["missing", "toString", "__proto__", "constructor"]) expect(index.codes.get(key)).toBeUndefined();
  });

  it("gives each flag the counter's base slot, and -1 to a flag the counter does not count", () => {
    const bases: Record<string, number | undefined> = { "flag-0": 6, "flag-1": undefined, "flag-2": 0 };
    const states = [true, false, true].map((on) => frozenFlagState("boolean", on, on, REASON));
    const index = indexOf(states, (key) => bases[key]);
    expect(["flag-0", "flag-1", "flag-2"].map((key) => index.slots[index.codes.get(key)! >> 3])).toEqual([6, -1, 0]);
  });

  it("tells flags apart past 2^16 positions (a code's position is not truncated)", () => {
    const states = Array.from({ length: 70_000 }, (_, i) => frozenFlagState("string", true, `v${i}`, REASON));
    const index = indexOf(states);
    for (const i of [0, 65_535, 65_536, 69_999]) expect(codeString(index, index.codes.get(`flag-${i}`)!)).toBe(`v${i}`);
  });
});
