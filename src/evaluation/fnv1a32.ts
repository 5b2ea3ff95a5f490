/** FNV-1a 32-bit offset basis (PROTOCOL.md §3.7). */
export const FNV1A32_OFFSET_BASIS = 0x811c9dc5;

const FNV1A32_PRIME = 0x01000193;

/**
 * FNV-1a 32-bit hash of the UTF-8 bytes of `text` (PROTOCOL.md §3.7), as an unsigned integer.
 *
 * The UTF-8 encoding is done inline, without allocating a byte array, because the local server
 * hashes once per flag per request. A lone surrogate is hashed as U+FFFD, as `TextEncoder` and
 * Go's JSON decoder both turn it into that character.
 *
 * @param text The string to hash.
 * @param seed The hash to continue from: pass a previous result to hash a concatenation without
 *   building it. @default FNV1A32_OFFSET_BASIS
 * @returns The hash, 0 to 2^32 − 1.
 * @example
 * fnv1a32("foobar"); // 0xbf9cf968
 * fnv1a32("bar", fnv1a32("foo")) === fnv1a32("foobar"); // true
 */
export function fnv1a32(text: string, seed: number = FNV1A32_OFFSET_BASIS): number {
  let hash = seed | 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    let code = text.charCodeAt(index);
    if (code < 0x80) {
      hash = Math.imul(hash ^ code, FNV1A32_PRIME);
      continue;
    }
    if (code < 0x800) {
      hash = Math.imul(hash ^ (0xc0 | (code >> 6)), FNV1A32_PRIME);
      hash = Math.imul(hash ^ (0x80 | (code & 0x3f)), FNV1A32_PRIME);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const low = index + 1 < length ? text.charCodeAt(index + 1) : 0;
      if (code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        const codePoint = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        index++;
        hash = Math.imul(hash ^ (0xf0 | (codePoint >> 18)), FNV1A32_PRIME);
        hash = Math.imul(hash ^ (0x80 | ((codePoint >> 12) & 0x3f)), FNV1A32_PRIME);
        hash = Math.imul(hash ^ (0x80 | ((codePoint >> 6) & 0x3f)), FNV1A32_PRIME);
        hash = Math.imul(hash ^ (0x80 | (codePoint & 0x3f)), FNV1A32_PRIME);
        continue;
      }
      code = 0xfffd;
    }
    hash = Math.imul(hash ^ (0xe0 | (code >> 12)), FNV1A32_PRIME);
    hash = Math.imul(hash ^ (0x80 | ((code >> 6) & 0x3f)), FNV1A32_PRIME);
    hash = Math.imul(hash ^ (0x80 | (code & 0x3f)), FNV1A32_PRIME);
  }
  return hash >>> 0;
}
