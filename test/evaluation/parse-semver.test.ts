import fc from "fast-check";
import { compareSemver, parseSemver } from "../../src/evaluation/parse-semver";

/** The steps of PROTOCOL.md §3.4, written as plainly as possible, as an oracle. */
function referenceParseSemver(value: string): [number, number, number] {
  const parts = (value.startsWith("v") ? value.slice(1) : value).split(".").slice(0, 3);
  const read = (part: string | undefined): number => {
    const digits = (part ?? "").split("-")[0] as string;
    // strconv.Atoi: an optional sign and digits, within int64 (the part holds no "-" any more).
    return /^\+?[0-9]+$/.test(digits) && BigInt(digits) <= 9223372036854775807n ? Number(digits) : 0;
  };
  return [read(parts[0]), read(parts[1]), read(parts[2])];
}

describe("parseSemver", () => {
  it.each<readonly [string, readonly [number, number, number]]>([
    ["1.2.3", [1, 2, 3]],
    ["v1.2.3", [1, 2, 3]],
    ["1.2.3-beta", [1, 2, 3]],
    ["2", [2, 0, 0]],
    ["1.2.3.9", [1, 2, 3]],
    ["1.10.0", [1, 10, 0]],
    ["1.2.3+b5", [1, 2, 0]],
    ["abc", [0, 0, 0]],
    ["", [0, 0, 0]],
    ["V1.2.3", [0, 2, 3]],
    ["vv1.2.3", [0, 2, 3]],
    ["1-rc.2-x.3", [1, 2, 3]],
    ["+1.02.3", [1, 2, 3]],
    [" 1.2.3", [0, 2, 3]],
    ["1..3", [1, 0, 3]],
    ["1e+06", [0, 0, 0]],
    ["99999999999999999999.1.1", [0, 1, 1]],
    ["1234567890123456.1.1", [1234567890123456, 1, 1]],
    ["9223372036854775807.1.1", [Number(9223372036854775807n), 1, 1]],
    ["9223372036854775808.1.1", [0, 1, 1]],
    ["+0009223372036854775807", [Number(9223372036854775807n), 0, 0]],
  ])("reads %j as %j", (text, expected) => {
    expect(parseSemver(text)).toEqual(expected);
  });
});

describe("parseSemver against the written steps", () => {
  it("agrees on arbitrary version-like strings", () => {
    const piece = fc.constantFrom("v", "V", ".", "-", "+", "0", "1", "2", "9", "10", "beta", "rc.1", " ", "x");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const text = pieces.join("");
        expect(parseSemver(text)).toEqual(referenceParseSemver(text));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("compareSemver", () => {
  it.each<readonly [string, string, number]>([
    ["v1.2.3", "1.2.3", 0],
    ["1.2.3-beta", "1.2.3", 0],
    ["2", "2.0.0", 0],
    ["1.2.3.9", "1.2.3", 0],
    ["1.10.0", "1.9.0", 1],
    ["1.9.0", "1.10.0", -1],
    ["1.2.3+b5", "1.2.0", 0],
    ["abc", "0.0.0", 0],
    ["V1.2.3", "0.2.3", 0],
    ["2.0.0", "1.99.99", 1],
  ])("compares %j with %j as %d", (left, right, expected) => {
    expect(compareSemver(parseSemver(left), parseSemver(right))).toBe(expected);
  });
});
