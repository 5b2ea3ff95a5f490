import { goFormatFloat } from "../../src/evaluation/go-format-float";

// Expected values printed by Go's fmt.Sprintf("%v", float64(x)).
const goPrints: ReadonlyArray<readonly [number, string]> = [
  [18, "18"],
  [18.0, "18"],
  [99.9, "99.9"],
  [999999, "999999"],
  [1000000, "1e+06"],
  [1234567, "1.234567e+06"],
  [0.00001, "1e-05"],
  [0.0001, "0.0001"],
  [0.000123, "0.000123"],
  [0, "0"],
  [-0, "-0"],
  [-18, "-18"],
  [0.1, "0.1"],
  [100000.5, "100000.5"],
  [999999.9999, "999999.9999"],
  [12345678.9, "1.23456789e+07"],
  [123456789012, "1.23456789012e+11"],
  [1e20, "1e+20"],
  [1e21, "1e+21"],
  [1e100, "1e+100"],
  [-2.5e100, "-2.5e+100"],
  [1.5e-7, "1.5e-07"],
  [5e-324, "5e-324"],
  [1.7976931348623157e308, "1.7976931348623157e+308"],
  [NaN, "NaN"],
  [Infinity, "+Inf"],
  [-Infinity, "-Inf"],
];

describe("goFormatFloat", () => {
  it.each(goPrints)("formats %p as Go's %%v does: %j", (value, expected) => {
    expect(goFormatFloat(value)).toBe(expected);
  });
});
