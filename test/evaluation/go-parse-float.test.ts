import type { JsonValue } from "../../src/model/flag-model";
import { goParseFloat, parseGoFloatString } from "../../src/evaluation/go-parse-float";
import { GO_ATOF_VECTORS } from "./go-atof-vectors";

/** A test title for an input: JSON-quoted, with long runs cut ("0x1.00…(10019 chars)"). */
function titleOf(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.length <= 60 ? quoted : `${quoted.slice(0, 40)}…(${text.length} chars)`;
}

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
  ["-1e-400", -0],
  ["-0x1p-2000", -0],
  ["0xAp0", 10],
  ["0xap-1", 5],
  ["0x1_ap0", 26],
  ["0x_1p0", 1],
  ["0x1p1_0", 1024],
  ["1e1_0", 1e10],
  ["iNfInItY", Infinity],
  ["-iNF", -Infinity],
  ["nAn", NaN],
  ["infinityx", undefined],
  ["in", undefined],
  ["n", undefined],
  ["nanx", undefined],
  ["-", undefined],
  ["+-1", undefined],
  ["--1", undefined],
  ["1e+-1", undefined],
  ["1e1.5", undefined],
  ["1d3", undefined],
  ["1x1p0", undefined],
  ["+1x1p0", undefined],
  ["0x1gp0", undefined],
  ["0xp1", undefined],
  ["0x.p1", undefined],
  ["-0x.p0", undefined],
  ["0x1.1.p0", undefined],
  ["1_e5", undefined],
  ["1_.5", undefined],
  ["0x1_.8p0", undefined],
];

describe("parseGoFloatString", () => {
  it.each(goParses)("parses %j as Go's ParseFloat does", (text, expected) => {
    expect(parseGoFloatString(text)).toBe(expected);
  });
});

describe("parseGoFloatString on Go's own test vectors (strconv/atof_test.go)", () => {
  it.each(GO_ATOF_VECTORS.map(([text, expected]) => ({ title: titleOf(text), text, expected })))(
    "parses $title as Go's ParseFloat does",
    ({ text, expected }) => {
      expect(parseGoFloatString(text)).toBe(expected);
    },
  );
});

describe("parseGoFloatString where Go stops reading exponent digits", () => {
  // Go's readFloat adds no exponent digit once the exponent reaches 10000 ("e100000" reads as
  // e10000), whatever the mantissa: so a long mantissa does not bring such a value back in range.
  it.each([
    ["100001 digits times 1e-100000", `1${"0".repeat(100_000)}e-100000`, undefined],
    ["1e-100001 times 1e100005", `0.${"0".repeat(100_000)}1e100005`, 0],
    ["2^-99996 times 2^100000 in hex", `0x0.${"0".repeat(24_998)}1p100000`, 0],
  ])("reads %s as Go does", (_name, text, expected) => {
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
