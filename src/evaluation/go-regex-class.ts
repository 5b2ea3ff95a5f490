import { PERL_CLASSES, POSIX_CLASSES, classRange, unicodeClass } from "./go-char-classes";
import { parseEscape } from "./go-regex-escape";
import { codePointWidth, refuse } from "./go-regex-scan";

/** `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}` at `start`, as class content. */
export function parseUnicodeClass(pattern: string, start: number): { source: string; end: number } {
  let negated = pattern.charCodeAt(start + 1) === 0x50;
  const nameStart = start + 2;
  let name: string;
  let end: number;
  if (nameStart >= pattern.length) refuse(pattern, "invalid character class range", start, pattern.length);
  const first = pattern.codePointAt(nameStart) as number;
  if (first !== 0x7b) {
    end = nameStart + codePointWidth(first);
    name = pattern.slice(nameStart, end);
  } else {
    const close = pattern.indexOf("}", start);
    if (close < 0) refuse(pattern, "invalid character class range", start, pattern.length);
    name = pattern.slice(nameStart + 1, close);
    end = close + 1;
  }
  if (name.startsWith("^")) {
    negated = !negated;
    name = name.slice(1);
  }
  const table = unicodeClass(name);
  if (table === undefined) refuse(pattern, "invalid character class range", start, end);
  return { source: negated ? `[^${table}]` : table, end };
}

/** Go's `parseClass`: `[…]` and `[^…]` with ranges, escapes, Perl, POSIX and Unicode classes. */
export function parseClass(pattern: string, classStart: number): { source: string; negated: boolean; end: number } {
  let index = classStart + 1;
  let negated = false;
  if (pattern.charCodeAt(index) === 0x5e) {
    negated = true;
    index++;
  }
  let source = "";
  // `]` right after `[` or `[^` is a literal.
  let first = true;
  while (index >= pattern.length || pattern.charCodeAt(index) !== 0x5d || first) {
    first = false;
    if (pattern.length - index > 2 && pattern.startsWith("[:", index)) {
      // Go looks for ":]" anywhere further on, even past the end of this class.
      const close = pattern.indexOf(":]", index + 2);
      if (close >= 0) {
        const group = POSIX_CLASSES.get(pattern.slice(index, close + 2));
        if (group === undefined) refuse(pattern, "invalid character class range", index, close + 2);
        source += group;
        index = close + 2;
        continue;
      }
    }
    if (pattern.charCodeAt(index) === 0x5c) {
      const next = pattern.charCodeAt(index + 1);
      if (next === 0x70 || next === 0x50) {
        const unicode = parseUnicodeClass(pattern, index);
        source += unicode.source;
        index = unicode.end;
        continue;
      }
      const perl = PERL_CLASSES.get(pattern.charAt(index + 1));
      if (perl !== undefined) {
        source += perl;
        index += 2;
        continue;
      }
    }
    const rangeStart = index;
    const low = parseClassCharacter(pattern, index, classStart);
    let high = low.codePoint;
    index = low.end;
    // `[a-]` is `a` or `-`.
    if (pattern.length - index >= 2 && pattern.charCodeAt(index) === 0x2d && pattern.charCodeAt(index + 1) !== 0x5d) {
      const upper = parseClassCharacter(pattern, index + 1, classStart);
      high = upper.codePoint;
      if (high < low.codePoint) refuse(pattern, "invalid character class range", rangeStart, upper.end);
      index = upper.end;
    }
    source += classRange(low.codePoint, high);
  }
  return { source, negated, end: index + 1 };
}

function parseClassCharacter(pattern: string, index: number, classStart: number): { codePoint: number; end: number } {
  if (index >= pattern.length) refuse(pattern, "missing closing ]", classStart, pattern.length);
  if (pattern.charCodeAt(index) === 0x5c) return parseEscape(pattern, index);
  const codePoint = pattern.codePointAt(index) as number;
  return { codePoint, end: index + codePointWidth(codePoint) };
}
