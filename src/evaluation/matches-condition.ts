import type { Condition, JsonValue } from "../model/flag-model";
import { goParseFloat } from "./go-parse-float";
import { goRegexMatches } from "./go-regex-cache";
import { goStringForm } from "./go-string-form";
import { compareSemver, parseSemver } from "./parse-semver";

/**
 * Whether one condition holds for a user's attributes, exactly as the reference server decides
 * (PROTOCOL.md §3.4):
 *
 * - a **missing** attribute makes every operator false, `neq` and `not_in` included; a present
 *   `null` is the string `<nil>`;
 * - `eq neq contains not_contains starts_with ends_with` compare Go string forms
 *   (`goStringForm`), case-sensitively, so `"18"` eq `18` and `"true"` eq `true`;
 * - `gt gte lt lte` compare numbers after `goParseFloat` (unparsable → 0, so `"abc" gt -1`);
 *   NaN compares as equal (`gte`/`lte` true, `gt`/`lt` false);
 * - `in` needs an array value (a string such as `"IT,US"` never matches); `not_in` with a
 *   non-array value is always true;
 * - `regex` is a Go RE2 unanchored search; a pattern Go refuses is false;
 * - `semver_eq semver_gt semver_gte semver_lt semver_lte` compare `parseSemver` tuples;
 * - any other operator (`is_set`, `is_not_set`, …) is false.
 *
 * @param attributes From `userAttributes(user)`.
 * @example
 * matchesCondition({ attribute: "plan", operator: "in", value: ["pro", "team"] }, new Map([["plan", "pro"]])); // true
 * matchesCondition({ attribute: "plan", operator: "neq", value: "pro" }, new Map()); // false: plan is missing
 */
export function matchesCondition(condition: Condition, attributes: ReadonlyMap<string, JsonValue>): boolean {
  const attribute = attributes.get(condition.attribute);
  if (attribute === undefined) return false;
  const value = condition.value;
  switch (condition.operator) {
    case "eq":
      return goStringForm(attribute) === goStringForm(value);
    case "neq":
      return goStringForm(attribute) !== goStringForm(value);
    case "contains":
      return goStringForm(attribute).includes(goStringForm(value));
    case "not_contains":
      return !goStringForm(attribute).includes(goStringForm(value));
    case "starts_with":
      return goStringForm(attribute).startsWith(goStringForm(value));
    case "ends_with":
      return goStringForm(attribute).endsWith(goStringForm(value));
    case "gt":
      return compareNumbers(goParseFloat(attribute), goParseFloat(value)) > 0;
    case "gte":
      return compareNumbers(goParseFloat(attribute), goParseFloat(value)) >= 0;
    case "lt":
      return compareNumbers(goParseFloat(attribute), goParseFloat(value)) < 0;
    case "lte":
      return compareNumbers(goParseFloat(attribute), goParseFloat(value)) <= 0;
    case "in":
      return Array.isArray(value) && containsStringForm(value, goStringForm(attribute));
    case "not_in":
      return !Array.isArray(value) || !containsStringForm(value, goStringForm(attribute));
    case "regex":
      return goRegexMatches(goStringForm(value), goStringForm(attribute));
    case "semver_eq":
      return compareVersions(attribute, value) === 0;
    case "semver_gt":
      return compareVersions(attribute, value) > 0;
    case "semver_gte":
      return compareVersions(attribute, value) >= 0;
    case "semver_lt":
      return compareVersions(attribute, value) < 0;
    case "semver_lte":
      return compareVersions(attribute, value) <= 0;
    default:
      return false;
  }
}

/** −1, 0 or 1, with NaN on either side comparing as equal (the reference server's quirk). */
function compareNumbers(left: number, right: number): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}

function compareVersions(attribute: JsonValue, value: JsonValue): number {
  return compareSemver(parseSemver(goStringForm(attribute)), parseSemver(goStringForm(value)));
}

function containsStringForm(values: readonly JsonValue[], target: string): boolean {
  for (const element of values) {
    if (goStringForm(element) === target) return true;
  }
  return false;
}
