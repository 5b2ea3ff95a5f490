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
