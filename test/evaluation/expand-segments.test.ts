import { expandSegments, findSegment } from "../../src/evaluation/expand-segments";
import type { Condition, SegmentDefinition } from "../../src/model/flag-model";

const proPlan: Condition = { attribute: "plan", operator: "eq", value: "pro" };
const inItaly: Condition = { attribute: "country", operator: "eq", value: "IT" };
const adult: Condition = { attribute: "age", operator: "gte", value: 18 };
const betaTester: Condition = { attribute: "beta", operator: "eq", value: true };

const segments: Readonly<Record<string, SegmentDefinition>> = {
  pro: { conditions: [proPlan] },
  italians: { conditions: [inItaly, adult] },
  empty: { conditions: [] },
};

const reference = (value: Condition["value"]): Condition => ({ attribute: "segment", operator: "in", value });

describe("expandSegments (PROTOCOL.md §3.6)", () => {
  it("replaces a reference to a known segment by its conditions, in place", () => {
    expect(expandSegments([betaTester, reference("italians"), adult], segments)).toEqual([
      betaTester,
      inItaly,
      adult,
      adult,
    ]);
  });

  it("keeps a reference to an unknown segment as a literal (always false) condition", () => {
    expect(expandSegments([reference("nobody")], segments)).toEqual([reference("nobody")]);
  });

  it("appends every known segment of an array: an AND across segments", () => {
    expect(expandSegments([reference(["pro", "italians"])], segments)).toEqual([proPlan, inItaly, adult]);
  });

  it("skips unknown and non-string ids in an array", () => {
    expect(expandSegments([reference(["ghost", "pro", 5, null])], segments)).toEqual([proPlan]);
  });

  it("drops an array reference naming no known segment, so a rule with nothing else matches everyone", () => {
    expect(expandSegments([reference(["ghost", "phantom"])], segments)).toEqual([]);
    expect(expandSegments([reference([]), betaTester], segments)).toEqual([betaTester]);
  });

  it("expands a known but empty segment to nothing", () => {
    expect(expandSegments([reference("empty")], segments)).toEqual([]);
  });

  it("expands a segment without a conditions list (untyped input) to nothing, by id or in an array", () => {
    const loose = { ...segments, bare: {} as SegmentDefinition };
    expect(expandSegments([reference("bare"), betaTester], loose)).toEqual([betaTester]);
    expect(expandSegments([reference(["bare", "pro"])], loose)).toEqual([proPlan]);
  });

  it("leaves conditions that are not segment references alone", () => {
    const lookalikes: Condition[] = [
      { attribute: "segment", operator: "eq", value: "pro" },
      { attribute: "Segment", operator: "in", value: "pro" },
      { attribute: "segment", operator: "in", value: 5 },
      { attribute: "segment", operator: "in", value: null },
    ];
    expect(expandSegments(lookalikes, segments)).toEqual(lookalikes);
  });

  it("expands in one pass: a reference inside a segment stays a plain condition", () => {
    const nested = { outer: { conditions: [reference("pro")] }, ...segments };
    expect(expandSegments([reference("outer")], nested)).toEqual([reference("pro")]);
  });

  it("never resolves an id to an Object.prototype member", () => {
    expect(findSegment(segments, "constructor")).toBeUndefined();
    expect(findSegment(segments, "__proto__")).toBeUndefined();
    expect(expandSegments([reference(["toString", "hasOwnProperty"])], segments)).toEqual([]);
  });

  it("does not modify its input", () => {
    const conditions = [reference("pro")];
    expandSegments(conditions, segments);
    expect(conditions).toEqual([reference("pro")]);
  });
});
