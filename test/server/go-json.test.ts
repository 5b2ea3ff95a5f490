import { compareGoMapKeys, encodeGoJson, encodeGoString, encodeGoStruct } from "../../src/server/go-json";

describe("encodeGoJson", () => {
  it.each([
    ["sorts object keys at every depth", { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}'],
    ["escapes < > & as Go does", { html: "<b>&</b>" }, '{"html":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e"}'],
    ["escapes U+2028 and U+2029", "a\u2028b\u2029c", '"a\\u2028b\\u2029c"'],
    ["writes a lone surrogate as U+FFFD", "x\ud800y", '"x\ufffdy"'],
    ["keeps a valid surrogate pair", "🎉", '"🎉"'],
    ["writes small and large numbers like Go", [1e21, 1e-7, 18, 99.9, 1000000], "[1e+21,1e-7,18,99.9,1000000]"],
    ["writes the empty object", {}, "{}"],
  ])("%s", (_name, value, expected) => {
    expect(encodeGoJson(value)).toBe(expected);
  });
});

describe("encodeGoStruct", () => {
  it("keeps insertion order, as Go writes struct fields", () => {
    expect(encodeGoStruct({ kind: "RULE_MATCH", ruleId: "r<1>", inRollout: true })).toBe(
      '{"kind":"RULE_MATCH","ruleId":"r\\u003c1\\u003e","inRollout":true}',
    );
  });
});

describe("encodeGoString", () => {
  it("quotes and escapes one string", () => {
    expect(encodeGoString('a"&')).toBe('"a\\"\\u0026"');
  });
});

describe("compareGoMapKeys", () => {
  it("orders by code point, putting astral characters after U+E000–U+FFFF unlike UTF-16 order", () => {
    const keys = ["\u{1F600}", "\uFF21", "b", "a", "ab", ""];
    expect([...keys].sort(compareGoMapKeys)).toEqual(["", "a", "ab", "b", "\uFF21", "\u{1F600}"]);
    expect([...keys].sort()).not.toEqual([...keys].sort(compareGoMapKeys));
  });
});

describe("encodeGoJson and escaped backslashes", () => {
  it("leaves a literal backslash followed by 'ud800' alone", () => {
    expect(encodeGoJson("\\ud800")).toBe('"\\\\ud800"');
  });
});
