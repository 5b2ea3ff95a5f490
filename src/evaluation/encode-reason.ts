import type { EvaluationReason } from "../model/evaluation-reason";

/**
 * A reason as the reference server writes it in JSON (PROTOCOL.md §3.3): Go's `omitempty`
 * drops zero values, so `ruleId` is omitted when empty, `ruleIndex` when 0, `inRollout` when
 * false and `errorKind` when empty. Keys come in the order kind, ruleId, ruleIndex, inRollout,
 * errorKind.
 *
 * @example
 * encodeReason({ kind: "RULE_MATCH", ruleId: "pro-rule", ruleIndex: 0, inRollout: true });
 * // { kind: "RULE_MATCH", ruleId: "pro-rule", inRollout: true }
 * encodeReason({ kind: "FALLTHROUGH", inRollout: false }); // { kind: "FALLTHROUGH" }
 */
export function encodeReason(reason: EvaluationReason): Record<string, unknown> {
  const encoded: Record<string, unknown> = { kind: reason.kind };
  if (reason.ruleId) encoded["ruleId"] = reason.ruleId;
  if (reason.ruleIndex) encoded["ruleIndex"] = reason.ruleIndex;
  if (reason.inRollout) encoded["inRollout"] = true;
  if (reason.errorKind) encoded["errorKind"] = reason.errorKind;
  return encoded;
}
