/**
 * The evaluation engine of the local Rollgate server (PROTOCOL.md §3): pure functions, no I/O.
 * Internal: the server imports from here; nothing here is part of the public `rollgate` API.
 */

// Flag model and results
export type { Condition, EvaluationUser, FlagDefinition, JsonValue, Rule, SegmentDefinition } from "../model/flag-model";
export type { EvaluationErrorKind, EvaluationReason, EvaluationReasonKind } from "../model/evaluation-reason";
export type { FlagEvaluation } from "./evaluate-flag";

// Evaluation
export { evaluateFlag } from "./evaluate-flag";
export { flagType } from "./flag-type";
export { encodeReason } from "./encode-reason";
export { userAttributes } from "./user-attributes";
export { expandSegments } from "./expand-segments";
export { conditionsMatch } from "./conditions-match";
export { matchesCondition } from "./matches-condition";

// Rollout bucketing
export { fnv1a32 } from "./fnv1a32";
export { isInRollout, rolloutBucket } from "./is-in-rollout";

// Go compatibility
export { goStringForm } from "./go-string-form";
export { goFormatFloat } from "./go-format-float";
export { goParseFloat, parseGoFloatString } from "./go-parse-float";
export { compareSemver, parseSemver } from "./parse-semver";
export { compileGoRegex, type GoRegex } from "./go-regex";
export { goRegexMatches } from "./go-regex-cache";
export { MAX_REGEX_MATCH_COST, withRegexBudgetListener, type RegexBudgetListener } from "./regex-match-budget";
