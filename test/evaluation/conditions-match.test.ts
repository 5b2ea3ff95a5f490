import fc from "fast-check";
import { conditionsMatch } from "../../src/evaluation/conditions-match";
import { expandSegments } from "../../src/evaluation/expand-segments";
import type { Condition, JsonValue, SegmentDefinition } from "../../src/model/flag-model";
import { matchesCondition } from "../../src/evaluation/matches-condition";

const segments: Readonly<Record<string, SegmentDefinition>> = {
  pro: { conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] },
  italians: { conditions: [{ attribute: "country", operator: "eq", value: "IT" }] },
  // Untyped input (a JS caller's test data): a segment without its conditions list holds for everyone.
  bare: {} as SegmentDefinition,
};
const reference = (value: JsonValue): Condition => ({ attribute: "segment", operator: "in", value });
const attributes = (entries: Record<string, JsonValue>): ReadonlyMap<string, JsonValue> =>
  new Map(Object.entries(entries));

describe("conditionsMatch", () => {
  it("matches everyone with no conditions", () => {
    expect(conditionsMatch([], attributes({}), segments)).toBe(true);
  });

  it("ANDs the conditions", () => {
    const both: Condition[] = [
      { attribute: "plan", operator: "eq", value: "pro" },
      { attribute: "country", operator: "eq", value: "IT" },
    ];
    expect(conditionsMatch(both, attributes({ plan: "pro", country: "IT" }), segments)).toBe(true);
    expect(conditionsMatch(both, attributes({ plan: "pro", country: "US" }), segments)).toBe(false);
  });

  it.each<readonly [string, Condition[], Record<string, JsonValue>, boolean]>([
    ["a known segment whose conditions hold", [reference("pro")], { plan: "pro" }, true],
    ["a known segment whose conditions fail", [reference("pro")], { plan: "free" }, false],
    ["an unknown segment, even for a user with a segment attribute", [reference("ghost")], { segment: "ghost" }, false],
    ["an array of segments, all holding", [reference(["pro", "italians"])], { plan: "pro", country: "IT" }, true],
    ["an array of segments, one failing (AND, not OR)", [reference(["pro", "italians"])], { plan: "pro" }, false],
    ["an array naming no known segment: everyone", [reference(["ghost"])], {}, true],
    ["a non-string, non-array segment value: a literal, false", [reference(5)], { segment: 5 }, false],
    ["a segment without a conditions list: everyone", [reference("bare")], {}, true],
    ["an array with a segment without a conditions list: the others decide", [reference(["bare", "pro"])], { plan: "free" }, false],
  ])("handles %s", (_name, conditions, user, expected) => {
    expect(conditionsMatch(conditions, attributes(user), segments)).toBe(expected);
  });

  it("agrees with expandSegments followed by matchesCondition on every condition", () => {
    const attributeNames = fc.constantFrom("plan", "country", "segment", "id");
    const values = fc.constantFrom<JsonValue>("pro", "IT", "ghost", "bare", 5, null, ["pro"], ["pro", "italians"], ["ghost"], ["bare", "pro"], []);
    const condition = fc.record({
      attribute: attributeNames,
      operator: fc.constantFrom("eq", "in", "not_in", "neq"),
      value: values,
    });
    fc.assert(
      fc.property(
        fc.array(condition, { maxLength: 5 }),
        fc.dictionary(attributeNames, values, { maxKeys: 4 }),
        (conditions, user) => {
          const map = attributes(user);
          const expected = expandSegments(conditions, segments).every((c) => matchesCondition(c, map));
          return conditionsMatch(conditions, map, segments) === expected;
        },
      ),
      { numRuns: 2000 },
    );
  });
});
