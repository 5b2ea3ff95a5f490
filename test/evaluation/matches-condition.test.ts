import type { JsonValue } from "../../src/model/flag-model";
import { matchesCondition } from "../../src/evaluation/matches-condition";

type Row = readonly [description: string, attribute: JsonValue | undefined, operator: string, value: JsonValue, expected: boolean];

/** Evaluates `attr operator value` with the attribute under the name "attr" (absent when undefined). */
function check(attribute: JsonValue | undefined, operator: string, value: JsonValue): boolean {
  const attributes = new Map<string, JsonValue>(attribute === undefined ? [["other", "x"]] : [["attr", attribute]]);
  return matchesCondition({ attribute: "attr", operator, value }, attributes);
}

const table = (rows: readonly Row[]) => rows;

describe("matchesCondition (PROTOCOL.md §3.4)", () => {
  describe("attribute lookup", () => {
    it.each(
      table([
        ["missing attribute makes eq false", undefined, "eq", "x", false],
        ["missing attribute makes neq false", undefined, "neq", "x", false],
        ["missing attribute makes not_in false", undefined, "not_in", ["x"], false],
        ["missing attribute makes not_in with a non-array false", undefined, "not_in", "x", false],
        ["missing attribute makes not_contains false", undefined, "not_contains", "x", false],
        ["missing attribute makes lt false", undefined, "lt", 5, false],
        ["missing attribute makes regex false", undefined, "regex", "", false],
        ["missing attribute makes semver_lte false", undefined, "semver_lte", "9.9.9", false],
        ["present null is not eq \"present\"", null, "eq", "present", false],
        ["present null is neq \"x\"", null, "neq", "x", true],
        ["present null is eq \"<nil>\"", null, "eq", "<nil>", true],
        ["present null is eq a null condition value", null, "eq", null, true],
        ["an empty string is present: eq \"\"", "", "eq", "", true],
        ["an empty string is present: neq \"x\"", "", "neq", "x", true],
      ]),
    )("%s", (_description, attribute, operator, value, expected) => {
      expect(check(attribute, operator, value)).toBe(expected);
    });
  });

  describe("string operators on Go string forms", () => {
    it.each(
      table([
        ["eq on equal strings", "pro", "eq", "pro", true],
        ["eq is case-sensitive", "Pro", "eq", "pro", false],
        ["eq across types: \"true\" eq true", "true", "eq", true, true],
        ["eq across types: true eq \"true\"", true, "eq", "true", true],
        ["eq across types: \"18\" eq 18", "18", "eq", 18, true],
        ["eq across types: 18 eq \"18\"", 18, "eq", "18", true],
        ["eq: 18.0 eq \"18\"", 18.0, "eq", "18", true],
        ["eq: \"18.0\" is not eq 18", "18.0", "eq", 18, false],
        ["eq: 1000000 eq \"1e+06\"", 1000000, "eq", "1e+06", true],
        ["eq: 1000000 is not eq \"1000000\"", 1000000, "eq", "1000000", false],
        ["eq: 1234567 eq \"1.234567e+06\"", 1234567, "eq", "1.234567e+06", true],
        ["eq: 0.00001 eq \"1e-05\"", 0.00001, "eq", "1e-05", true],
        ["eq: 99.9 eq \"99.9\"", 99.9, "eq", "99.9", true],
        ["eq: 999999 eq \"999999\"", 999999, "eq", "999999", true],
        ["eq: an array attribute compares by its Go form", ["a", "b"], "eq", "[a b]", true],
        ["neq on different strings", "free", "neq", "pro", true],
        ["neq on equal strings", "pro", "neq", "pro", false],
        ["neq across types: \"18\" neq 18 is false", "18", "neq", 18, false],
        ["contains a substring", "enterprise-pro", "contains", "pro", true],
        ["contains is case-sensitive", "enterprise-PRO", "contains", "pro", false],
        ["contains the empty string", "x", "contains", "", true],
        ["contains on a number's Go form", 1000000, "contains", "e+06", true],
        ["not_contains a missing substring", "free", "not_contains", "pro", true],
        ["not_contains a present substring", "pro-plan", "not_contains", "pro", false],
        ["starts_with a prefix", "user-42", "starts_with", "user-", true],
        ["starts_with a non-prefix", "admin-1", "starts_with", "user-", false],
        ["ends_with a suffix", "alice@example.com", "ends_with", "@example.com", true],
        ["ends_with a non-suffix", "alice@example.org", "ends_with", "@example.com", false],
        ["ends_with true's Go form", true, "ends_with", "ue", true],
      ]),
    )("%s", (_description, attribute, operator, value, expected) => {
      expect(check(attribute, operator, value)).toBe(expected);
    });
  });

  describe("numeric operators", () => {
    it.each(
      table([
        ["gt on numbers", 20, "gt", 18, true],
        ["gt on equal numbers", 18, "gt", 18, false],
        ["gte on equal numbers", 18, "gte", 18, true],
        ["lt on numbers", 17, "lt", 18, true],
        ["lte on equal numbers", 18, "lte", 18, true],
        ["lte on a greater number", 19, "lte", 18, false],
        ["gt with a numeric string attribute", "20", "gt", 18, true],
        ["gt with a numeric string condition", 20, "gt", "18", true],
        ["gt with an exponent string", "1e3", "gt", 999, true],
        ["gt with a hex float string", "0x1p4", "gt", 15, true],
        ["\"abc\" gt -1: unparsable becomes 0", "abc", "gt", -1, true],
        ["\"abc\" lt 1", "abc", "lt", 1, true],
        ["\" 5\" is unparsable: 0, not gt 4", " 5", "gt", 4, false],
        ["\" 5\" is unparsable: 0, lt 1", " 5", "lt", 1, true],
        ["true is 0: gte 0", true, "gte", 0, true],
        ["true is 0: not gt 0", true, "gt", 0, false],
        ["null is 0: lte 0", null, "lte", 0, true],
        ["an array is 0", [5], "gte", 0, true],
        ["\"1e400\" is out of range: 0", "1e400", "gt", 1, false],
        ["\"Inf\" gt a huge number", "Inf", "gt", 1e308, true],
        ["\"-Inf\" lt a tiny number", "-Inf", "lt", -1e308, true],
        ["NaN gt is false", "NaN", "gt", 5, false],
        ["NaN lt is false", "NaN", "lt", 5, false],
        ["NaN gte is true (compares as equal)", "NaN", "gte", 5, true],
        ["NaN lte is true (compares as equal)", "NaN", "lte", 5, true],
        ["gte against a NaN condition is true", 5, "gte", "NaN", true],
        ["lt against a NaN condition is false", 5, "lt", "nan", false],
      ]),
    )("%s", (_description, attribute, operator, value, expected) => {
      expect(check(attribute, operator, value)).toBe(expected);
    });
  });

  describe("in and not_in", () => {
    it.each(
      table([
        ["in a string array", "IT", "in", ["IT", "US"], true],
        ["not in a string array", "FR", "in", ["IT", "US"], false],
        ["in a mixed array: \"IT\"", "IT", "in", ["IT", 5, true], true],
        ["in a mixed array: 5", 5, "in", ["IT", 5, true], true],
        ["in a mixed array: \"5\"", "5", "in", ["IT", 5, true], true],
        ["in a mixed array: true", true, "in", ["IT", 5, true], true],
        ["in a mixed array: \"true\"", "true", "in", ["IT", 5, true], true],
        ["in a mixed array: false", false, "in", ["IT", 5, true], false],
        ["in: 1000000 matches \"1e+06\"", 1000000, "in", ["1e+06"], true],
        ["in: null matches \"<nil>\" and null", null, "in", ["<nil>"], true],
        ["in: the string \"IT,US\" never matches \"IT\"", "IT", "in", "IT,US", false],
        ["in: a string value never matches even itself", "IT,US", "in", "IT,US", false],
        ["in: an empty array", "IT", "in", [], false],
        ["not_in a string array", "FR", "not_in", ["IT", "US"], true],
        ["not_in: an element", "IT", "not_in", ["IT", "US"], false],
        ["not_in: a mixed array element", "5", "not_in", ["IT", 5, true], false],
        ["not_in a non-array value is always true", "IT", "not_in", "IT", true],
        ["not_in a null value is always true", "IT", "not_in", null, true],
        ["not_in an empty array", "IT", "not_in", [], true],
      ]),
    )("%s", (_description, attribute, operator, value, expected) => {
      expect(check(attribute, operator, value)).toBe(expected);
    });
  });

  describe("regex", () => {
    it.each(
      table([
        ["an unanchored search", "alice@example.com", "regex", "example", true],
        ["anchored where written", "alice@example.com", "regex", "^example", false],
        ["a full match", "user-42", "regex", "^user-\\d+$", true],
        ["case-sensitive by default", "PRO", "regex", "pro", false],
        ["(?i) folds case", "PRO", "regex", "(?i)pro", true],
        ["an invalid pattern is false", "(", "regex", "(", false],
        ["an RE2-refused lookahead is false", "ab", "regex", "a(?=b)", false],
        ["an RE2-refused backreference is false", "aa", "regex", "(a)\\1", false],
        ["on a number's Go form", 1000000, "regex", "^1e\\+06$", true],
        ["on null's Go form", null, "regex", "^<nil>$", true],
        ["a numeric pattern uses its Go form", "x5y", "regex", 5, true],
      ]),
    )("%s", (_description, attribute, operator, value, expected) => {
      expect(check(attribute, operator, value)).toBe(expected);
    });
  });

  describe("semver", () => {
    it.each(
      table([
        ["v1.2.3 semver_eq 1.2.3", "v1.2.3", "semver_eq", "1.2.3", true],
        ["1.2.3-beta semver_eq 1.2.3", "1.2.3-beta", "semver_eq", "1.2.3", true],
        ["1.2.3 is not semver_gt 1.2.3-beta", "1.2.3", "semver_gt", "1.2.3-beta", false],
        ["2 semver_eq 2.0.0", "2", "semver_eq", "2.0.0", true],
        ["1.2.3.9 semver_eq 1.2.3", "1.2.3.9", "semver_eq", "1.2.3", true],
        ["1.10.0 semver_gt 1.9.0", "1.10.0", "semver_gt", "1.9.0", true],
        ["1.9.0 semver_lt 1.10.0", "1.9.0", "semver_lt", "1.10.0", true],
        ["1.2.3+b5 semver_eq 1.2.0", "1.2.3+b5", "semver_eq", "1.2.0", true],
        ["abc semver_eq 0.0.0", "abc", "semver_eq", "0.0.0", true],
        ["a numeric 2 is 2.0.0", 2, "semver_eq", "2.0.0", true],
        ["a numeric 1.5 is 1.5.0", 1.5, "semver_eq", "1.5.0", true],
        ["uppercase V1.2.3 is 0.2.3", "V1.2.3", "semver_eq", "0.2.3", true],
        ["uppercase V1.2.3 is semver_lt 1.0.0", "V1.2.3", "semver_lt", "1.0.0", true],
        ["semver_gte on equal versions", "1.2.3", "semver_gte", "v1.2.3", true],
        ["semver_gte on a lower version", "1.2.2", "semver_gte", "1.2.3", false],
        ["semver_lte on equal versions", "1.2.3", "semver_lte", "1.2.3-rc1", true],
        ["semver_lte on a higher version", "2.0.0", "semver_lte", "1.99.99", false],
      ]),
    )("%s", (_description, attribute, operator, value, expected) => {
      expect(check(attribute, operator, value)).toBe(expected);
    });
  });

  describe("unknown operators", () => {
    it.each(["is_set", "is_not_set", "equals", "EQ", "greater_than", "", "semver_ne"])(
      "%j is always false, even on a present attribute",
      (operator) => {
        expect(check("x", operator, "x")).toBe(false);
      },
    );
  });
});
