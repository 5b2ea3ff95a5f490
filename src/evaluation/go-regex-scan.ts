/**
 * What every stage of the Go regexp parser reads with: code points, digits, and the error that
 * refuses a pattern (`parseGoRegex` turns it into a result).
 */

/** Thrown inside the parser only; `parseGoRegex` turns it into a result. */
export class InvalidGoRegex extends Error {}

/** Refuses `pattern` with Go's reason, quoting the offending part (`start` to `end`). */
export function refuse(pattern: string, reason: string, start: number, end: number): never {
  throw new InvalidGoRegex(`${reason}: \`${pattern.slice(start, end)}\``);
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isAsciiAlphanumeric(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

export function hexValue(code: number): number {
  if (isDigit(code)) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

export function codePointWidth(codePoint: number): number {
  return codePoint > 0xffff ? 2 : 1;
}
