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
  const length = text.length;
  if (length === 0) return undefined;
  const special = parseSpecial(text);
  if (special !== undefined) return special;

  let index = 0;
  const signCode = text.charCodeAt(0);
  if (signCode === PLUS || signCode === MINUS) index++;
  let hex = false;
  if (index + 2 < length && text.charCodeAt(index) === ZERO && (text.charCodeAt(index + 1) | 0x20) === LOWER_X) {
    hex = true;
    index += 2;
  }
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
  if (index < length && (text.charCodeAt(index) | 0x20) === (hex ? LOWER_P : LOWER_E)) {
    index++;
    let exponentSign = 1;
    const code = text.charCodeAt(index);
    if (code === PLUS) index++;
    else if (code === MINUS) {
      index++;
      exponentSign = -1;
    }
    if (index >= length || !isDecimalDigit(text.charCodeAt(index))) return undefined;
    for (; index < length; index++) {
      const digit = text.charCodeAt(index);
      if (digit === UNDERSCORE) {
        underscores = true;
      } else if (isDecimalDigit(digit)) {
        // Go stops accumulating at 10000 too: beyond that the result is 0 or out of range anyway.
        if (exponent < 10000) exponent = exponent * 10 + (digit - ZERO);
      } else {
        break;
      }
    }
    exponent *= exponentSign;
  } else if (hex) {
    return undefined;
  }
  if (index !== length) return undefined;
  if (underscores && !underscoresAllowed(text)) return undefined;

  const value = hex
    ? parseHexFloat(text.slice(mantissaStart, mantissaEnd), exponent, signCode === MINUS)
    : Number(underscores ? text.replaceAll("_", "") : text);
  return Number.isFinite(value) ? value : undefined;
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
    const code = text.charCodeAt(start + index);
    // Only ASCII letters fold; `| 0x20` must not turn another character into a letter.
    const lower = code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
    if (lower !== lowerCaseWord.charCodeAt(index)) return false;
  }
  return true;
}

/**
 * Go's `underscoreOK`: each `_` must sit between two digits, or between a base prefix and a
 * digit, and may not end the number.
 */
function underscoresAllowed(text: string): boolean {
  let index = 0;
  const first = text.charCodeAt(0);
  if (first === PLUS || first === MINUS) index++;
  // "^" start, "0" digit or base prefix, "_" underscore, "!" anything else.
  let saw = "^";
  let hex = false;
  if (text.length - index >= 2 && text.charCodeAt(index) === ZERO) {
    const prefix = text.charCodeAt(index + 1) | 0x20;
    if (prefix === 0x62 || prefix === 0x6f || prefix === LOWER_X) {
      index += 2;
      saw = "0";
      hex = prefix === LOWER_X;
    }
  }
  for (; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isDecimalDigit(code) || (hex && isHexLetter(code))) {
      saw = "0";
    } else if (code === UNDERSCORE) {
      if (saw !== "0") return false;
      saw = "_";
    } else {
      if (saw === "_") return false;
      saw = "!";
    }
  }
  return saw !== "_";
}

/**
 * A hexadecimal float: `mantissa` is the hex digits with an optional "." (and "_"), scaled by
 * 2^`binaryExponent`. The mantissa is reduced to 64 significant bits with a sticky bit so that
 * converting it to a double rounds once, correctly.
 */
function parseHexFloat(mantissa: string, binaryExponent: number, negative: boolean): number {
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(/[._]/g, "");
  const fractionDigits = dot < 0 ? 0 : mantissa.slice(dot + 1).replaceAll("_", "").length;
  let significand = BigInt(`0x${digits}`);
  let exponent = binaryExponent - 4 * fractionDigits;
  if (significand === 0n) return negative ? -0 : 0;
  const excessBits = significand.toString(2).length - 64;
  if (excessBits > 0) {
    const dropped = significand & ((1n << BigInt(excessBits)) - 1n);
    significand = (significand >> BigInt(excessBits)) | (dropped === 0n ? 0n : 1n);
    exponent += excessBits;
  }
  const magnitude = scaleByPowerOfTwo(Number(significand), exponent);
  return negative ? -magnitude : magnitude;
}

function scaleByPowerOfTwo(value: number, exponent: number): number {
  let result = value;
  let remaining = exponent;
  while (remaining > 1000) {
    result *= 2 ** 1000;
    remaining -= 1000;
    if (result === Infinity) return result;
  }
  while (remaining < -1000) {
    result *= 2 ** -1000;
    remaining += 1000;
    if (result === 0) return result;
  }
  return result * 2 ** remaining;
}
