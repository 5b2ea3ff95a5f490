import type { JsonValue } from "../model/flag-model";
import { goFormatFloat } from "./go-format-float";

/**
 * The string form of a JSON-decoded value used by the condition operators (PROTOCOL.md §3.4):
 * what Go's `fmt.Sprintf("%v", v)` prints for the value `encoding/json` decoded into an
 * `interface{}`.
 *
 * - strings are unchanged; booleans are `true` / `false`;
 * - numbers are float64 in `%v` form (`18`, `99.9`, `1e+06`, `1.234567e+06`, `1e-05`);
 * - `null` (and a missing value) is `<nil>`;
 * - arrays print as `[a b c]`: elements in their own `%v` form, separated by one space;
 * - objects print as `map[k1:v1 k2:v2]` with keys sorted by code point, as `fmt` sorts map keys.
 *
 * @example
 * goStringForm(1234567); // "1.234567e+06"
 * goStringForm(["IT", 5, true, null]); // "[IT 5 true <nil>]"
 * goStringForm({ plan: "pro", seats: 3 }); // "map[plan:pro seats:3]"
 */
export function goStringForm(value: JsonValue | undefined): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return goFormatFloat(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "<nil>";
      if (Array.isArray(value)) return `[${value.map(goStringForm).join(" ")}]`;
      return `map[${Object.keys(value)
        .sort(compareByCodePoint)
        .map((key) => `${key}:${goStringForm(value[key])}`)
        .join(" ")}]`;
    default:
      return "<nil>";
  }
}

/**
 * Orders strings as Go orders them (by UTF-8 bytes, i.e. by code point). JavaScript's default
 * sort compares UTF-16 units, which puts U+E000–U+FFFF after astral characters.
 */
function compareByCodePoint(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    let a = left.charCodeAt(index);
    let b = right.charCodeAt(index);
    if (a === b) continue;
    if (a >= 0xd800 && b >= 0xd800) {
      // Surrogates (astral code points) must sort after U+E000–U+FFFF.
      a = a < 0xe000 ? a + 0x2000 : a - 0x800;
      b = b < 0xe000 ? b + 0x2000 : b - 0x800;
    }
    return a - b;
  }
  return left.length - right.length;
}
