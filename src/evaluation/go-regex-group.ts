import { refuse } from "./go-regex-scan";

/** The flags of a group, as Go's parser keeps them: `i`, `m`, `s` and `U`. */
export const FOLD_CASE = 1;
export const MULTI_LINE = 2;
export const DOT_NEWLINE = 4;
export const NON_GREEDY = 8;
const ALL_FLAGS = FOLD_CASE | MULTI_LINE | DOT_NEWLINE | NON_GREEDY;

/**
 * What a `(?…` opens: a capture (`flags` unchanged), a non-capturing group whose body gets
 * `flags`, or new `flags` for the rest of the current group; `end` is past the opening.
 */
export interface GroupOpening {
  readonly kind: "capture" | "group" | "flags";
  readonly flags: number;
  readonly end: number;
}

/**
 * What `(?` at `start` opens: `(?P<name>…)` and `(?<name>…)` a capture, `(?flags:…)` a group with
 * its own flags, `(?flags)` new flags for the rest of the current group; everything else after
 * `(?` is an error. `flags` are the flags in force.
 */
export function parseGroupFlags(pattern: string, start: number, flags: number): GroupOpening {
  const remaining = pattern.length - start;
  const pythonName = remaining > 4 && pattern.charCodeAt(start + 2) === 0x50 && pattern.charCodeAt(start + 3) === 0x3c;
  const plainName = remaining > 3 && pattern.charCodeAt(start + 2) === 0x3c;
  if (pythonName || plainName) {
    const end = pattern.indexOf(">", start);
    if (end < 0) refuse(pattern, "invalid named capture", start, pattern.length);
    const name = pattern.slice(start + (pythonName ? 4 : 3), end);
    if (!/^[A-Za-z0-9_]+$/.test(name)) refuse(pattern, "invalid named capture", start, end + 1);
    return { kind: "capture", flags, end: end + 1 };
  }
  let index = start + 2;
  let next = flags;
  let negative = false;
  let sawFlag = false;
  while (index < pattern.length) {
    const code = pattern.charCodeAt(index++);
    switch (code) {
      case 0x69: // i
        next |= FOLD_CASE;
        sawFlag = true;
        continue;
      case 0x6d: // m
        next |= MULTI_LINE;
        sawFlag = true;
        continue;
      case 0x73: // s
        next |= DOT_NEWLINE;
        sawFlag = true;
        continue;
      case 0x55: // U
        next |= NON_GREEDY;
        sawFlag = true;
        continue;
      case 0x2d: // -
        if (negative) break;
        negative = true;
        // Go inverts the flags so that the `|=` above clear them, and inverts back at the end.
        next = ~next;
        sawFlag = false;
        continue;
      case 0x3a: // :
      case 0x29: // )
        if (negative) {
          if (!sawFlag) break;
          next = ~next;
        }
        return { kind: code === 0x3a ? "group" : "flags", flags: next & ALL_FLAGS, end: index };
    }
    break;
  }
  refuse(pattern, "invalid or unsupported Perl syntax", start, index);
}
