import type { JsonValue } from "../../src/model/flag-model";
import { goParseFloat, parseGoFloatString } from "../../src/evaluation/go-parse-float";

// What Go's strconv.ParseFloat(s, 64) returns; `undefined` where it returns an error.
const goParses: ReadonlyArray<readonly [string, number | undefined]> = [
  ["18", 18],
  ["-2.5", -2.5],
  ["1e3", 1000],
  ["1E5", 100000],
  ["+.5e1", 5],
  [".5", 0.5],
  ["5.", 5],
  ["00012", 12],
  ["-0", -0],
  ["1e-400", 0],
  ["0x1p-2", 0.25],
  ["0X1P+2", 4],
  ["0x.8p1", 1],
  ["0x1_0p0", 16],
  ["1_000", 1000],
  ["1_23.50_0_0e+1_2", 1.235e14],
  ["Inf", Infinity],
  ["+Inf", Infinity],
  ["-inf", -Infinity],
  ["infinity", Infinity],
  ["+Infinity", Infinity],
  ["NaN", NaN],
  ["nan", NaN],
  ["", undefined],
  [" 5", undefined],
  ["5 ", undefined],
  ["abc", undefined],
  [".", undefined],
  ["+", undefined],
  ["1e", undefined],
  ["1e+", undefined],
  ["1e_5", undefined],
  ["_1", undefined],
  ["1_", undefined],
  ["1__0", undefined],
  ["0x1", undefined],
  ["0x1p", undefined],
  ["0x", undefined],
  ["0b101", undefined],
  ["0o7", undefined],
  ["1,000", undefined],
  ["٣", undefined],
  ["infin", undefined],
  ["+NaN", undefined],
  ["-NaN", undefined],
  ["1e400", undefined],
  ["-1e400", undefined],
];

describe("parseGoFloatString", () => {
  it.each(goParses)("parses %j as Go's ParseFloat does", (text, expected) => {
    expect(parseGoFloatString(text)).toBe(expected);
  });
});

describe("goParseFloat (the to-number step of gt/gte/lt/lte)", () => {
  it.each<readonly [string, JsonValue | undefined, number]>([
    ["a JSON number as it is", 1.5, 1.5],
    ["a numeric string", "42", 42],
    ["an unparsable string as 0", "abc", 0],
    ["a string with a leading space as 0", " 5", 0],
    ["an out-of-range string as 0", "1e400", 0],
    ["true as 0", true, 0],
    ["false as 0", false, 0],
    ["null as 0", null, 0],
    ["an array as 0", [5], 0],
    ["an object as 0", { n: 5 }, 0],
    ["a missing value as 0", undefined, 0],
  ])("reads %s", (_name, value, expected) => {
    expect(goParseFloat(value)).toBe(expected);
  });

  it("keeps NaN from the string NaN", () => {
    expect(goParseFloat("NaN")).toBeNaN();
  });
});
