import type { GoRegexNode } from "./go-regex-node";
import { isDigit } from "./go-regex-scan";

/** Go's limit on `{n,m}` counts, and on the copies nested counts multiply to. */
export const MAX_REPEAT = 1000;

/** Go's `parseRepeat`: `{n}`, `{n,}` or `{n,m}` with no leading zeros; `undefined` if it is not one. */
export function parseRepeatBraces(pattern: string, start: number): { min: number; max: number; end: number } | undefined {
  const first = parseRepeatNumber(pattern, start + 1);
  if (first === undefined) return undefined;
  let min = first.value;
  let index = first.end;
  if (index >= pattern.length) return undefined;
  let max: number;
  if (pattern.charCodeAt(index) !== 0x2c) {
    max = min;
  } else {
    index++;
    if (index >= pattern.length) return undefined;
    if (pattern.charCodeAt(index) === 0x7d) {
      max = -1;
    } else {
      const second = parseRepeatNumber(pattern, index);
      if (second === undefined) return undefined;
      max = second.value;
      index = second.end;
      // Too big a number: reported as an invalid count by the caller.
      if (max < 0) min = -1;
    }
  }
  if (index >= pattern.length || pattern.charCodeAt(index) !== 0x7d) return undefined;
  return { min, max, end: index + 1 };
}

function parseRepeatNumber(pattern: string, start: number): { value: number; end: number } | undefined {
  if (start >= pattern.length || !isDigit(pattern.charCodeAt(start))) return undefined;
  if (pattern.charCodeAt(start) === 0x30 && isDigit(pattern.charCodeAt(start + 1))) return undefined;
  let end = start;
  while (end < pattern.length && isDigit(pattern.charCodeAt(end))) end++;
  let value = 0;
  for (let index = start; index < end; index++) {
    if (value >= 1e8) {
      value = -1;
      break;
    }
    value = value * 10 + pattern.charCodeAt(index) - 0x30;
  }
  return { value, end };
}

/**
 * Go's `repeatIsValid`: nested `{n,m}` counts may not multiply past `limit` copies of the
 * innermost item (`(a{100}){10}` is fine, `(a{100}){11}` is not).
 */
export function repeatIsValid(node: GoRegexNode, limit: number): boolean {
  let remaining = limit;
  if (node.op === "repeat" && node.counted) {
    let count = node.max;
    if (count === 0) return true;
    if (count < 0) count = node.min;
    if (count > remaining) return false;
    if (count > 0) remaining = Math.trunc(remaining / count);
  }
  switch (node.op) {
    case "capture":
    case "repeat":
      return repeatIsValid(node.sub, remaining);
    case "concat":
    case "alternate":
      return node.subs.every((sub) => repeatIsValid(sub, remaining));
    default:
      return true;
  }
}
