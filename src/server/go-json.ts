/**
 * JSON exactly as Go's `encoding/json` writes it, which the reference server uses for every
 * body and for the v1 ETag (PROTOCOL.md §1.2): compact, map keys sorted byte-wise in UTF-8,
 * and `<` `>` `&` U+2028 U+2029 escaped as `\u003c`-style sequences.
 */

const GO_ESCAPED = /[<>&\u2028\u2029]/g;
// JSON.stringify writes a lone surrogate as a `\udXXX` escape (valid pairs stay raw). The
// look-behind skips escaped backslashes, so only real escapes match.
const ESCAPED_LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

// Most bodies need no escaping at all: one test spares them both replaces.
const NEEDS_ESCAPING = /[<>&\u2028\u2029]|\\ud[89a-f]/;

function escapeLikeGo(json: string): string {
  if (!NEEDS_ESCAPING.test(json)) return json;
  // These characters can only occur inside string literals of JSON.stringify output, so a
  // plain replace is safe. Go writes invalid UTF-8 (a lone surrogate here) as U+FFFD.
  return json.replace(ESCAPED_LONE_SURROGATE, "$1\ufffd").replace(GO_ESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Orders strings as Go sorts map keys: by UTF-8 bytes, i.e. by code point. Plain `<` compares
 * UTF-16 code units, which differs only between surrogates and U+E000–U+FFFF.
 */
export function compareGoMapKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xIsSurrogate = x >= 0xd800 && x <= 0xdfff;
    const yIsSurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xIsSurrogate && !yIsSurrogate && y >= 0xe000) return 1;
    if (yIsSurrogate && !xIsSurrogate && x >= 0xe000) return -1;
    return x - y;
  }
  return a.length - b.length;
}

function sortKeysReplacer(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort(compareGoMapKeys)) sorted[key] = record[key];
  return sorted;
}

/**
 * Encodes a JSON value as Go encodes a decoded `interface{}` (every object is a map, so its
 * keys are sorted).
 *
 * @example
 * encodeGoJson({ b: "<", a: 1 }); // '{"a":1,"b":"\u003c"}'
 */
export function encodeGoJson(value: unknown): string {
  // Fast paths for the scalars that make up most flag values.
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return encodeGoString(value);
  // A number is written as it is without the replacer, and holds no character Go escapes.
  if (typeof value === "number") return JSON.stringify(value);
  return escapeLikeGo(JSON.stringify(value, sortKeysReplacer) ?? "null");
}

/**
 * Encodes a value keeping object keys in insertion order, as Go encodes a struct (fields in
 * declaration order). Used for reasons and other struct-shaped parts of a body.
 */
export function encodeGoStruct(value: unknown): string {
  return escapeLikeGo(JSON.stringify(value) ?? "null");
}

/** Encodes one string as a Go JSON string literal (quotes included). */
export function encodeGoString(text: string): string {
  return escapeLikeGo(JSON.stringify(text));
}
