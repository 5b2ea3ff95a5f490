import type { Condition, SegmentDefinition } from "../model/flag-model";

/**
 * Whether a condition refers to segments rather than to an attribute (PROTOCOL.md §3.6):
 * attribute `segment` with operator `in`.
 */
export function isSegmentReference(condition: Condition): boolean {
  return condition.attribute === "segment" && condition.operator === "in";
}

/**
 * The segment registered under `id`, if any. Only own keys count, so that `constructor` or
 * `__proto__` never resolve to `Object.prototype` members.
 */
export function findSegment(
  segments: Readonly<Record<string, SegmentDefinition>>,
  id: string,
): SegmentDefinition | undefined {
  return Object.hasOwn(segments, id) ? segments[id] : undefined;
}

/**
 * Replaces segment references by the segments' conditions, as the reference server does before
 * evaluating a rule (PROTOCOL.md §3.6):
 *
 * - a string naming a known segment is replaced by that segment's conditions (ANDed with the
 *   rule's others);
 * - a string naming an unknown segment stays as it is: a non-array `in` on an attribute called
 *   `segment`, which is always false;
 * - an array appends the conditions of every known segment listed (an AND across segments, not
 *   "member of any"); unknown ids, and ids that are not strings, are skipped; if none is known
 *   the reference simply disappears, so a rule with no other condition matches everyone.
 *
 * The expansion is one pass: a segment reference inside a segment is kept as a plain condition.
 *
 * @example
 * expandSegments([{ attribute: "segment", operator: "in", value: "beta" }], { beta: { conditions: [c1, c2] } }); // [c1, c2]
 */
export function expandSegments(
  conditions: readonly Condition[],
  segments: Readonly<Record<string, SegmentDefinition>>,
): Condition[] {
  const expanded: Condition[] = [];
  for (const condition of conditions) {
    if (isSegmentReference(condition)) {
      const ids = condition.value;
      if (typeof ids === "string") {
        const segment = findSegment(segments, ids);
        if (segment !== undefined) {
          for (const segmentCondition of segment.conditions ?? []) expanded.push(segmentCondition);
          continue;
        }
      } else if (Array.isArray(ids)) {
        for (const id of ids) {
          const segment = typeof id === "string" ? findSegment(segments, id) : undefined;
          for (const segmentCondition of segment?.conditions ?? []) expanded.push(segmentCondition);
        }
        continue;
      }
    }
    expanded.push(condition);
  }
  return expanded;
}
