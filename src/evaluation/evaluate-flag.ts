import type { FlagType } from "../model/flag-state";
import { conditionsMatch } from "./conditions-match";
import type { EvaluationReason } from "../model/evaluation-reason";
import type { EvaluationUser, FlagDefinition, JsonValue, SegmentDefinition } from "../model/flag-model";
import { flagType } from "./flag-type";
import { isInRollout } from "./is-in-rollout";
import { userAttributes } from "./user-attributes";

/** The result of evaluating one flag for one user, as the local server serves it. */
export interface FlagEvaluation {
  readonly key: string;
  /** The boolean result (the v1 value). */
  readonly enabled: boolean;
  readonly type: FlagType;
  /** The typed value (v2): `false` when not enabled, else the chosen variation (PROTOCOL.md §3.8). */
  readonly value: JsonValue;
  /** Complete: `ruleIndex` and `inRollout` are always set for RULE_MATCH and FALLTHROUGH. */
  readonly reason: EvaluationReason;
}

const NO_SEGMENTS: Readonly<Record<string, SegmentDefinition>> = Object.freeze({});
const OFF: EvaluationReason = Object.freeze({ kind: "OFF" });
const TARGET_MATCH: EvaluationReason = Object.freeze({ kind: "TARGET_MATCH" });
const FALLTHROUGH_IN: EvaluationReason = Object.freeze({ kind: "FALLTHROUGH", inRollout: true });
const FALLTHROUGH_OUT: EvaluationReason = Object.freeze({ kind: "FALLTHROUGH", inRollout: false });

// The server evaluates every flag for the same user object: build its attribute map once.
const attributesByUser = new WeakMap<EvaluationUser, ReadonlyMap<string, JsonValue>>();

function attributesOf(user: EvaluationUser): ReadonlyMap<string, JsonValue> {
  let attributes = attributesByUser.get(user);
  if (attributes === undefined) {
    attributes = userAttributes(user);
    attributesByUser.set(user, attributes);
  }
  return attributes;
}

/**
 * Evaluates a flag for a user as the reference server does (PROTOCOL.md §3.2, §3.8):
 *
 * 1. `enabled: false` → `false`, reason OFF;
 * 2. the user id in `targetUsers` (exact match) → `true`, reason TARGET_MATCH;
 * 3. the first enabled rule whose conditions all hold (an empty list holds for everyone;
 *    segments expanded per §3.6) decides: `inRollout(rule.rolloutPercentage ?? 0)`, reason
 *    RULE_MATCH with the rule's index in the full list — a matched rule at 0 % gives `false`
 *    and does not fall through;
 * 4. otherwise `inRollout(flag.rolloutPercentage ?? 0)`, reason FALLTHROUGH.
 *
 * Every percentage uses the same FNV-1a bucket of `userId:flagKey` (§3.7). The typed value is
 * `false` when the result is false; otherwise the matched rule's `variation` (else
 * `defaultVariation`) looked up in `variations`, `true` if that key is missing, and the boolean
 * result itself for a flag without variations or default.
 *
 * Pure and synchronous. The user object is treated as immutable: its attribute map is cached
 * per object.
 *
 * @param segments Segment definitions by id. @default {}
 * @example
 * evaluateFlag(
 *   { key: "pro", enabled: true, rules: [{ id: "pro-rule", enabled: true, rolloutPercentage: 100,
 *     conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] }] },
 *   { id: "u1", attributes: { plan: "pro" } },
 * );
 * // { key: "pro", enabled: true, type: "boolean", value: true,
 * //   reason: { kind: "RULE_MATCH", ruleId: "pro-rule", ruleIndex: 0, inRollout: true } }
 */
export function evaluateFlag(
  flag: FlagDefinition,
  user: EvaluationUser,
  segments: Readonly<Record<string, SegmentDefinition>> = NO_SEGMENTS,
): FlagEvaluation {
  const key = flag.key;
  const type = flagType(flag);
  if (!flag.enabled) return { key, enabled: false, type, value: false, reason: OFF };
  if (flag.targetUsers?.includes(user.id)) {
    return { key, enabled: true, type, value: servedValue(flag, undefined), reason: TARGET_MATCH };
  }
  const rules = flag.rules;
  if (rules !== undefined) {
    let attributes: ReadonlyMap<string, JsonValue> | undefined;
    for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
      const rule = rules[ruleIndex];
      if (!rule.enabled) continue;
      const conditions = rule.conditions;
      if (conditions !== undefined && conditions.length > 0) {
        attributes ??= attributesOf(user);
        if (!conditionsMatch(conditions, attributes, segments)) continue;
      }
      const inRollout = isInRollout(rule.rolloutPercentage ?? 0, user.id, key);
      return {
        key,
        enabled: inRollout,
        type,
        value: inRollout ? servedValue(flag, rule.variation) : false,
        reason: { kind: "RULE_MATCH", ruleId: rule.id, ruleIndex, inRollout },
      };
    }
  }
  const inRollout = isInRollout(flag.rolloutPercentage ?? 0, user.id, key);
  return {
    key,
    enabled: inRollout,
    type,
    value: inRollout ? servedValue(flag, undefined) : false,
    reason: inRollout ? FALLTHROUGH_IN : FALLTHROUGH_OUT,
  };
}

/** The typed value of a flag whose boolean result is true (PROTOCOL.md §3.8). */
function servedValue(flag: FlagDefinition, ruleVariation: string | undefined): JsonValue {
  const variations = flag.variations;
  const defaultVariation = flag.defaultVariation;
  if (!variations || !defaultVariation || !hasOwnKeys(variations)) return true;
  const chosen = ruleVariation ? ruleVariation : defaultVariation;
  if (!Object.hasOwn(variations, chosen)) return true;
  return variations[chosen] ?? null;
}

function hasOwnKeys(record: Readonly<Record<string, JsonValue>>): boolean {
  for (const key in record) {
    if (Object.hasOwn(record, key)) return true;
  }
  return false;
}
