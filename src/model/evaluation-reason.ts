/**
 * Why a flag has the value it has (PROTOCOL.md §3.3).
 *
 * The server omits "zero" fields on the wire (`ruleIndex` 0, `inRollout` false); decoders
 * fill them back in, so a reason read from the wire always has them for RULE_MATCH and
 * FALLTHROUGH.
 */
export type EvaluationReasonKind = "OFF" | "TARGET_MATCH" | "RULE_MATCH" | "FALLTHROUGH" | "ERROR" | "UNKNOWN";

/** Why an evaluation failed, for reasons of kind `ERROR`. */
export type EvaluationErrorKind =
  | "FLAG_NOT_FOUND"
  | "MALFORMED_FLAG"
  | "USER_NOT_SPECIFIED"
  | "CLIENT_NOT_READY"
  /** No flags could be fetched for this user (server unreachable, key refused) and none were cached. */
  | "FLAGS_UNAVAILABLE"
  | "WRONG_TYPE"
  | "EXCEPTION";

export interface EvaluationReason {
  readonly kind: EvaluationReasonKind;
  /** The matched rule's id (RULE_MATCH). */
  readonly ruleId?: string;
  /** The matched rule's 0-based position in the flag's full rule list (RULE_MATCH). */
  readonly ruleIndex?: number;
  /** Whether the user fell inside the percentage rollout (RULE_MATCH, FALLTHROUGH). */
  readonly inRollout?: boolean;
  /** What went wrong (ERROR). */
  readonly errorKind?: EvaluationErrorKind;
}
