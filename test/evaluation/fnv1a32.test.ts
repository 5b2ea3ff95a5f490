import fc from "fast-check";
import { FNV1A32_OFFSET_BASIS, fnv1a32 } from "../../src/evaluation/fnv1a32";

/** The straightforward version from PROTOCOL.md §3.7, as an oracle. */
function referenceFnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

describe("fnv1a32", () => {
  it.each([
    ["", 0x811c9dc5],
    ["a", 0xe40c292c],
    ["foobar", 0xbf9cf968],
    ["user-1:feature-x", 1574708433],
    ["user🎉emoji:rollout-75", 840580042],
  ])("hashes %j to the check vector %d", (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });

  it("starts from the FNV offset basis", () => {
    expect(fnv1a32("")).toBe(FNV1A32_OFFSET_BASIS);
  });

  it("hashes UTF-8 bytes, not UTF-16 code units, for 2-, 3- and 4-byte characters", () => {
    for (const text of ["é", "€", "日本", "🎉", "a\u0000b", "\u07ff\u0800\uffff"]) {
      expect(fnv1a32(text)).toBe(referenceFnv1a32(text));
    }
  });

  it("hashes a lone surrogate as U+FFFD, as TextEncoder does", () => {
    for (const text of ["\ud800", "a\udc00b", "\ud83d", "x\ud83dy"]) {
      expect(fnv1a32(text)).toBe(referenceFnv1a32(text));
      expect(fnv1a32(text)).toBe(fnv1a32(text.replace(/[\ud800-\udfff]/g, "\ufffd")));
    }
  });

  it.each([
    ["the last 1-byte and the first 2-byte character", "\u007f\u0080"],
    ["the last 2-byte and the first 3-byte character", "\u07ff\u0800"],
    ["the first and last surrogate pairs", "\ud800\udc00\udbff\udfff"],
    ["a lone high surrogate at the end", "ab\udbff"],
    ["a lone low surrogate, the last one", "\udfff"],
    ["a low surrogate before a high one (not a pair)", "\udc00\ud800x"],
    ["two low surrogates (not a pair)", "\udc00\udc00"],
    ["a high surrogate before a character above the surrogates (not a pair)", "\ud800\ue000"],
  ])("hashes the UTF-8 boundary case %s as TextEncoder does", (_name, text) => {
    expect(fnv1a32(text)).toBe(referenceFnv1a32(text));
  });

  it("continues from a seed exactly as if the strings were concatenated", () => {
    expect(fnv1a32("bar", fnv1a32("foo"))).toBe(fnv1a32("foobar"));
  });

  it("agrees with the TextEncoder version on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => fnv1a32(text) === referenceFnv1a32(text)),
      { numRuns: 2000 },
    );
  });
});
