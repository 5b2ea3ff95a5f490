import { findSegment, isSegmentReference } from "./expand-segments";
import type { Condition, JsonValue, SegmentDefinition } from "../model/flag-model";
import { matchesCondition } from "./matches-condition";

/**
 * Whether every condition holds (an empty list holds for everyone), with segment references
 * treated exactly as `expandSegments` would expand them (PROTOCOL.md §3.6) but without building
 * the expanded list: this runs for every rule of every flag on every request.
 *
 * @example
 * conditionsMatch(rule.conditions, userAttributes(user), segments);
 */
export function conditionsMatch(
  conditions: readonly Condition[],
  attributes: ReadonlyMap<string, JsonValue>,
  segments: Readonly<Record<string, SegmentDefinition>>,
): boolean {
  for (const condition of conditions) {
    if (isSegmentReference(condition)) {
      const ids = condition.value;
      if (Array.isArray(ids)) {
        for (const id of ids) {
          const segment = typeof id === "string" ? findSegment(segments, id) : undefined;
          if (segment !== undefined && !allMatch(segment.conditions, attributes)) return false;
        }
        continue;
      }
      const segment = typeof ids === "string" ? findSegment(segments, ids) : undefined;
      if (segment !== undefined) {
        if (!allMatch(segment.conditions, attributes)) return false;
        continue;
      }
    }
    if (!matchesCondition(condition, attributes)) return false;
  }
  return true;
}

function allMatch(conditions: readonly Condition[] | undefined, attributes: ReadonlyMap<string, JsonValue>): boolean {
  if (conditions === undefined) return true;
  for (const condition of conditions) {
    if (!matchesCondition(condition, attributes)) return false;
  }
  return true;
}
