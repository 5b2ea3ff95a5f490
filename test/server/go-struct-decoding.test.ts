import { GoDecodeError, goField, goFloat, goInt, goMap, goObject, goString } from "../../src/server/go-struct-decoding";

describe("Go struct decoding", () => {
  it("matches field names case-insensitively, preferring the last matching key", () => {
    expect(goField({ ID: "a" }, "id")).toBe("a");
    expect(goField({ id: "a", Id: "b" }, "id")).toBe("b");
    expect(goField({ Id: "b", id: "a" }, "id")).toBe("a");
    expect(goField({ other: 1 }, "id")).toBeUndefined();
  });

  it.each([
    ["goString", () => goString(5, "id")],
    ["goFloat", () => goFloat("5", "value")],
    ["goInt with a fraction", () => goInt(12.5, "period_ms")],
    ["goInt with a string", () => goInt("12", "period_ms")],
    ["goMap with an array", () => goMap([], "attributes")],
    ["goObject with a number", () => goObject(5, "user")],
  ])("%s fails on the wrong JSON type", (_name, run) => {
    expect(run).toThrow(GoDecodeError);
  });

  it("treats null and absent as zero values", () => {
    expect(goString(null, "id")).toBe("");
    expect(goInt(undefined, "n")).toBe(0);
    expect(goFloat(null, "v")).toBeUndefined();
    expect(goMap(null, "m")).toBeUndefined();
    expect(goObject(null, "o")).toEqual({});
  });
});
