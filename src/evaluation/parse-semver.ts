/**
 * A version as the reference server reads it for the `semver_*` operators (PROTOCOL.md §3.4):
 *
 * 1. strip one leading lowercase `v` (an uppercase `V` stays, so that part becomes 0);
 * 2. split on `.` and keep the first three parts, missing parts being 0;
 * 3. in each part drop everything from the first `-`;
 * 4. parse the rest as a base-10 integer (Go's `strconv.Atoi`: an optional sign, then digits);
 *    anything else, including a value beyond the int64 range, is 0.
 *
 * So pre-release tags are ignored (`1.2.3-beta` is `1.2.3`) and build metadata spoils the patch
 * number (`1.2.3+b5` is `1.2.0`).
 *
 * @returns `[major, minor, patch]`.
 * @example
 * parseSemver("v1.10.0"); // [1, 10, 0]
 * parseSemver("2"); // [2, 0, 0]
 */
export function parseSemver(value: string): readonly [number, number, number] {
  // One pass, no substrings: the server runs this twice per semver condition per request.
  const parts: [number, number, number] = [0, 0, 0];
  let part = 0;
  let partStart = value.charCodeAt(0) === 0x76 ? 1 : 0;
  let number = 0;
  // Digits seen in this part; −1 once the part cannot be an integer (it will be 0).
  let digits = 0;
  let afterDash = false;
  for (let index = partStart; index <= value.length; index++) {
    const code = index < value.length ? value.charCodeAt(index) : 0x2e;
    if (code === 0x2e) {
      parts[part] = digits > 0 ? checkedAtoi(value, partStart, index, number, digits) : 0;
      if (++part === 3) break;
      partStart = index + 1;
      number = 0;
      digits = 0;
      afterDash = false;
    } else if (afterDash || digits < 0) {
      // Nothing to read up to the next ".": Go drops everything from the first "-", and an
      // invalid part stays invalid.
    } else if (code === 0x2d) {
      afterDash = true;
    } else if (code >= 0x30 && code <= 0x39) {
      number = number * 10 + (code - 0x30);
      digits++;
    } else if (!(code === 0x2b && index === partStart)) {
      digits = -1;
    }
  }
  return parts;
}

/**
 * Compares two versions part by part, as numbers.
 *
 * @returns −1, 0 or 1.
 * @example
 * compareSemver(parseSemver("1.10.0"), parseSemver("1.9.0")); // 1
 */
export function compareSemver(left: readonly [number, number, number], right: readonly [number, number, number]): number {
  for (let index = 0; index < 3; index++) {
    const a = left[index];
    const b = right[index];
    if (a < b) return -1;
    if (a > b) return 1;
  }
  return 0;
}

const INT64_MAX = 9223372036854775807n;

/**
 * The value of Go's `strconv.Atoi` for a part already known to be an optional `+` and digits:
 * exact up to 15 digits; beyond, the nearest double to the exact value (as close as JavaScript
 * compares), or 0 past int64, where Go returns an error.
 */
function checkedAtoi(text: string, start: number, end: number, value: number, digits: number): number {
  if (digits <= 15) return value;
  const exact = BigInt(text.slice(text.charCodeAt(start) === 0x2b ? start + 1 : start, end).split("-")[0] as string);
  return exact > INT64_MAX ? 0 : Number(exact);
}
