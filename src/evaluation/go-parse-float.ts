import type { JsonValue } from "../model/flag-model";

/**
 * The to-number step of `gt`, `gte`, `lt` and `lte` (PROTOCOL.md §3.4): JSON numbers as they are,
 * strings through Go's `strconv.ParseFloat`, and 0 for everything else — an unparsable string,
 * a boolean, null, an array or an object.
 *
 * A string that is well-formed but out of float64 range (`"1e400"`) is an error for Go, so it
 * becomes 0 too; `"NaN"` and `"Inf"` are well-formed and keep their values.
 *
 * @example
 * goParseFloat("1e3"); // 1000
 * goParseFloat(" 5"); // 0: Go does not trim spaces
 * goParseFloat(true); // 0
 */
export function goParseFloat(value: JsonValue | undefined): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return parseGoFloatString(value) ?? 0;
  return 0;
}

/**
 * Go's `strconv.ParseFloat(text, 64)`: the number, or `undefined` where Go returns an error.
 *
 * Accepted, as in Go: an optional sign; decimal digits with an optional `.` and an `e`
 * exponent; hexadecimal mantissas (`0x1.8p3`) with a mandatory `p` exponent; `_` between digits
 * (or after a `0x` prefix); and, ignoring case, `NaN`, `Inf`, `Infinity` (the last two with an
 * optional sign). Spaces anywhere, an empty string, `0b`/`0o` prefixes or a trailing junk make
 * it an error, as does a value beyond the float64 range.
 *
 * @example
 * parseGoFloatString("0x1p-2"); // 0.25
 * parseGoFloatString("1_000"); // 1000
 * parseGoFloatString("+NaN"); // undefined
 */
export function parseGoFloatString(text: string): number | undefined {
  const special = parseSpecial(text);
  if (special !== undefined) return special;

  const length = text.length;
  let index = 0;
  const negative = text.charCodeAt(0) === MINUS;
  if (negative || text.charCodeAt(0) === PLUS) index++;
  // (Past the end, charCodeAt is NaN, which equals no character: no bounds checks needed.)
  const hex = text.charCodeAt(index) === ZERO && (text.charCodeAt(index + 1) | 0x20) === LOWER_X;
  if (hex) index += 2;
  const mantissaStart = index;
  let sawDot = false;
  let sawDigits = false;
  let underscores = false;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === UNDERSCORE) {
      underscores = true;
    } else if (code === DOT) {
      if (sawDot) break;
      sawDot = true;
    } else if (isDecimalDigit(code) || (hex && isHexLetter(code))) {
      sawDigits = true;
    } else {
      break;
    }
  }
  if (!sawDigits) return undefined;
  const mantissaEnd = index;

  let exponent = 0;
  if ((text.charCodeAt(index) | 0x20) === (hex ? LOWER_P : LOWER_E)) {
    index++;
    const code = text.charCodeAt(index);
    const negativeExponent = code === MINUS;
    if (negativeExponent || code === PLUS) index++;
    if (!isDecimalDigit(text.charCodeAt(index))) return undefined;
    for (; index < length; index++) {
      const digit = text.charCodeAt(index);
      if (digit === UNDERSCORE) {
        underscores = true;
      } else if (isDecimalDigit(digit)) {
        // Go adds no digit once the exponent reaches 10000 ("e100000" reads as e10000), so a
        // very long mantissa cannot bring such a number back into range: the same here.
        if (exponent < 10000) exponent = exponent * 10 + (digit - ZERO);
      } else {
        break;
      }
    }
    if (negativeExponent) exponent = -exponent;
  } else if (hex) {
    return undefined;
  }
  if (index !== length) return undefined;
  if (underscores && !underscoresAllowed(text, mantissaStart, hex)) return undefined;

  const mantissa = text.slice(mantissaStart, mantissaEnd);
  const magnitude = hex
    ? parseHexFloat(mantissa, exponent)
    : Number(`${underscores ? mantissa.replaceAll("_", "") : mantissa}e${exponent}`);
  if (!Number.isFinite(magnitude)) return undefined;
  return negative ? -magnitude : magnitude;
}

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const UNDERSCORE = 0x5f;
const LOWER_E = 0x65;
const LOWER_P = 0x70;
const LOWER_X = 0x78;

function isDecimalDigit(code: number): boolean {
  return code >= ZERO && code <= 0x39;
}

function isHexLetter(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66;
}

/** Go's `special`: "NaN" (no sign) and "Inf" / "Infinity" (optional sign), any case, whole string. */
function parseSpecial(text: string): number | undefined {
  const first = text.charCodeAt(0);
  if ((first | 0x20) === 0x6e) return equalsIgnoringAsciiCase(text, 0, "nan") ? NaN : undefined;
  const signed = first === PLUS || first === MINUS;
  const start = signed ? 1 : 0;
  if (equalsIgnoringAsciiCase(text, start, "inf") || equalsIgnoringAsciiCase(text, start, "infinity")) {
    return first === MINUS ? -Infinity : Infinity;
  }
  return undefined;
}

function equalsIgnoringAsciiCase(text: string, start: number, lowerCaseWord: string): boolean {
  if (text.length - start !== lowerCaseWord.length) return false;
  for (let index = 0; index < lowerCaseWord.length; index++) {
    // The word is all letters: `| 0x20` folds only A-Z onto them (and leaves a-z as they are).
    if ((text.charCodeAt(start + index) | 0x20) !== lowerCaseWord.charCodeAt(index)) return false;
  }
  return true;
}

/**
 * Go's `underscoreOK` for the number from `start` (after the sign and any `0x`): each `_` must
 * sit between two digits, or between the `0x` prefix and a digit, and may not end the number.
 */
function underscoresAllowed(text: string, start: number, hex: boolean): boolean {
  let previous: "digit" | "underscore" | "other" = hex ? "digit" : "other";
  for (const char of text.slice(start)) {
    const code = char.charCodeAt(0);
    if (isDecimalDigit(code) || (hex && isHexLetter(code))) {
      previous = "digit";
    } else if (char === "_") {
      if (previous !== "digit") return false;
      previous = "underscore";
    } else {
      if (previous === "underscore") return false;
      previous = "other";
    }
  }
  return previous !== "underscore";
}

/**
 * A hexadecimal float: `mantissa` is the hex digits with an optional "." (and "_"), scaled by
 * 2^`binaryExponent`. The exact value is rounded once, half to even, to the bits the result has
 * room for: 53, fewer for a subnormal (rounding to 53 bits first and then again to the subnormal's
 * precision would round twice, and wrongly at the halfway points).
 */
function parseHexFloat(mantissa: string, binaryExponent: number): number {
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(/[._]/g, "");
  const fractionDigits = dot < 0 ? 0 : mantissa.slice(dot + 1).replaceAll("_", "").length;
  let significand = BigInt(`0x${digits}`);
  let exponent = binaryExponent - 4 * fractionDigits;
  // Zero whatever the exponent (0 * 2^2000 would be NaN below).
  if (significand === 0n) return 0;
  const bitLength = significand.toString(2).length;
  // The value's leading bit is worth 2^(exponent + bitLength - 1); the last bit a double can hold
  // is worth 2^-1074 at best, and 2^-52 of the leading bit.
  const lowestBit = Math.max(exponent + bitLength - 53, -1074);
  const excessBits = lowestBit - exponent;
  if (excessBits > 0) {
    const dropped = significand & ((1n << BigInt(excessBits)) - 1n);
    const half = 1n << BigInt(excessBits - 1);
    significand >>= BigInt(excessBits);
    if (dropped > half || (dropped === half && (significand & 1n) === 1n)) significand++;
    exponent = lowestBit;
  }
  // Exact: the significand has at most 53 bits (2^53 after rounding up) and 2^exponent is a
  // double from 2^-1074 up; a product beyond the range is Infinity, an error for the caller.
  return Number(significand) * 2 ** exponent;
}
