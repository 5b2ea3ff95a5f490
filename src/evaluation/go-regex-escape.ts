import { codePointWidth, hexValue, isAsciiAlphanumeric, refuse } from "./go-regex-scan";

/** Go's `parseEscape`, for a backslash at `start` that is not a class or an assertion. */
export function parseEscape(pattern: string, start: number): { codePoint: number; end: number } {
  let index = start + 1;
  if (index >= pattern.length) refuse(pattern, "trailing backslash at end of expression", index, index);
  const code = pattern.codePointAt(index) as number;
  index += codePointWidth(code);
  // Any escaped ASCII punctuation stands for itself.
  if (code < 0x80 && !isAsciiAlphanumeric(code)) return { codePoint: code, end: index };
  switch (code) {
    case 0x31:
    case 0x32:
    case 0x33:
    case 0x34:
    case 0x35:
    case 0x36:
    case 0x37: {
      // \1 alone would be a backreference, which RE2 refuses; \12 is octal.
      const next = pattern.charCodeAt(index);
      if (!(next >= 0x30 && next <= 0x37)) break;
      return parseOctal(pattern, code, index);
    }
    case 0x30:
      return parseOctal(pattern, code, index);
    case 0x78: {
      // \x41 or \x{10FFFF}
      if (index >= pattern.length) break;
      const first = pattern.codePointAt(index) as number;
      index += codePointWidth(first);
      if (first === 0x7b) {
        let digits = 0;
        let value = 0;
        for (;;) {
          if (index >= pattern.length) refuse(pattern, "invalid escape sequence", start, index);
          const digit = pattern.codePointAt(index) as number;
          index += codePointWidth(digit);
          if (digit === 0x7d) break;
          const digitValue = hexValue(digit);
          if (digitValue < 0) refuse(pattern, "invalid escape sequence", start, index);
          value = value * 16 + digitValue;
          if (value > 0x10ffff) refuse(pattern, "invalid escape sequence", start, index);
          digits++;
        }
        if (digits === 0) refuse(pattern, "invalid escape sequence", start, index);
        return { codePoint: value, end: index };
      }
      if (index >= pattern.length) break;
      const second = pattern.codePointAt(index) as number;
      index += codePointWidth(second);
      const high = hexValue(first);
      const low = hexValue(second);
      if (high < 0 || low < 0) break;
      return { codePoint: high * 16 + low, end: index };
    }
    case 0x61: // \a
      return { codePoint: 0x07, end: index };
    case 0x66: // \f
      return { codePoint: 0x0c, end: index };
    case 0x6e: // \n
      return { codePoint: 0x0a, end: index };
    case 0x72: // \r
      return { codePoint: 0x0d, end: index };
    case 0x74: // \t
      return { codePoint: 0x09, end: index };
    case 0x76: // \v
      return { codePoint: 0x0b, end: index };
  }
  return refuse(pattern, "invalid escape sequence", start, index);
}

/** Up to three octal digits in all, the first already read. */
function parseOctal(pattern: string, firstDigit: number, start: number): { codePoint: number; end: number } {
  let value = firstDigit - 0x30;
  let index = start;
  for (let count = 1; count < 3; count++) {
    const digit = pattern.charCodeAt(index);
    if (!(digit >= 0x30 && digit <= 0x37)) break;
    value = value * 8 + digit - 0x30;
    index++;
  }
  return { codePoint: value, end: index };
}
