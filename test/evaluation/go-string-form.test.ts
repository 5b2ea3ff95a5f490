import fc from "fast-check";
import type { JsonValue } from "../../src/model/flag-model";
import { goStringForm } from "../../src/evaluation/go-string-form";

// The string-form table of PROTOCOL.md §3.4, plus arrays and objects as Go prints them
// (checked against fmt.Sprintf("%v") of encoding/json-decoded values).
const forms: ReadonlyArray<readonly [string, JsonValue | undefined, string]> = [
  ["a string, unchanged", "Hello, World", "Hello, World"],
  ["the empty string", "", ""],
  ["true", true, "true"],
  ["false", false, "false"],
  ["18", 18, "18"],
  ["18.0", 18.0, "18"],
  ["99.9", 99.9, "99.9"],
  ["999999", 999999, "999999"],
  ["1000000, in exponent form", 1000000, "1e+06"],
  ["1234567, in exponent form", 1234567, "1.234567e+06"],
  ["0.00001, in exponent form", 0.00001, "1e-05"],
  ["null", null, "<nil>"],
  ["a missing value", undefined, "<nil>"],
  ["an array, space-separated", ["IT", 5, true, null, [2, 3]], "[IT 5 true <nil> [2 3]]"],
  ["an empty array", [], "[]"],
  ["an object, keys sorted", { z: 1, a: [1, 2], m: { k: null } }, "map[a:[1 2] m:map[k:<nil>] z:1]"],
  ["an empty object", {}, "map[]"],
  ["an object with keys sorted by code point", { "😀": 1, "\ue000": 2, é: 3, B: 4, a: 5 }, "map[B:4 a:5 é:3 \ue000:2 😀:1]"],
];

describe("goStringForm", () => {
  it.each(forms)("prints %s as Go's %%v does", (_name, value, expected) => {
    expect(goStringForm(value)).toBe(expected);
  });
});

describe("goStringForm's map key order", () => {
  /** Go sorts map keys by their UTF-8 bytes; keys from JSON never hold a lone surrogate. */
  const byUtf8 = (left: string, right: string) => Buffer.compare(Buffer.from(left), Buffer.from(right));
  const char = fc.oneof(
    fc.constantFrom("a", "b", "é", "\ud7ff", "\ue000", "\uffff", "\ud800\udc00", "😀", "\udbff\udfff"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((s) => Buffer.from(s).toString() === s),
  );
  const key = fc.array(char, { maxLength: 4 }).map((chars) => chars.join(""));

  it("sorts keys by UTF-8 bytes, as Go's fmt does: BMP characters above the surrogates before astral ones, a prefix before its extensions", () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 8 }), (keys) => {
        const object = Object.fromEntries(keys.map((k, i) => [k, i]));
        const expected = `map[${[...Object.keys(object)].sort(byUtf8).map((k) => `${k}:${object[k]}`).join(" ")}]`;
        expect(goStringForm(object)).toBe(expected);
      }),
      { numRuns: 3_000 },
    );
  });

  it.each([
    ["a prefix first", { ab: 1, a: 2 }, "map[a:2 ab:1]"],
    ["U+D7FF before U+E000 before U+FFFF before U+10000", { "😀": 1, "\uffff": 2, "\ue000": 3, "\ud7ff": 4 }, "map[\ud7ff:4 \ue000:3 \uffff:2 😀:1]"],
    ["two astral characters by code point", { "\udbff\udfff": 1, "\ud800\udc00": 2 }, "map[\ud800\udc00:2 \udbff\udfff:1]"],
  ])("orders %s", (_name, value, expected) => {
    expect(goStringForm(value)).toBe(expected);
  });
});
