import type { EvaluationErrorKind, EvaluationHookDetail } from "rollgate";

/**
 * The OpenTelemetry semantic conventions for feature flags (release candidate) that rollgate/otel
 * writes: the `feature_flag.evaluation` event's name and attribute names, spelled as the
 * conventions spell them.
 */
export const FEATURE_FLAG = Object.freeze({
  EVENT: "feature_flag.evaluation",
  KEY: "feature_flag.key",
  PROVIDER_NAME: "feature_flag.provider.name",
  CONTEXT_ID: "feature_flag.context.id",
  RESULT_REASON: "feature_flag.result.reason",
  RESULT_VALUE: "feature_flag.result.value",
  ERROR_TYPE: "error.type",
  ERROR_MESSAGE: "feature_flag.error.message",
} as const);

/** The provider name rollgate reports (`feature_flag.provider.name`). */
export const PROVIDER_NAME = "rollgate";

/** The conventions' well-known `feature_flag.result.reason` values. */
export type SemconvReason = "static" | "default" | "targeting_match" | "split" | "cached" | "disabled" | "unknown" | "stale" | "error";

/**
 * `feature_flag.result.reason` for what a hook was told: `error` for any error (a missing flag
 * included), `stale` for flags the server could not vouch for lately, `cached` for flags read
 * from the persistent cache before the server answered; else by rollgate's reason: `OFF` →
 * `disabled`, `TARGET_MATCH` / `RULE_MATCH` → `targeting_match`, `FALLTHROUGH` → `default`,
 * `UNKNOWN` → `unknown` (as the OpenFeature provider maps them). rollgate's reasons do not say
 * whether a percentage split the users (`inRollout` is true at 100% too), so `split` is never
 * claimed, and no flag is `static`.
 *
 * @example
 * semconvReason({ value: true, reason: { kind: "OFF" }, errorKind: undefined, source: "server", stale: false }); // "disabled"
 */
export function semconvReason(detail: EvaluationHookDetail): SemconvReason {
  if (detail.errorKind !== undefined) return "error";
  if (detail.stale) return "stale";
  if (detail.source === "cache") return "cached";
  switch (detail.reason.kind) {
    case "OFF":
      return "disabled";
    case "TARGET_MATCH":
    case "RULE_MATCH":
      return "targeting_match";
    case "FALLTHROUGH":
      return "default";
    default:
      return "unknown";
  }
}

/** `error.type` for rollgate's error codes, in the conventions' values. */
export function semconvErrorType(kind: EvaluationErrorKind): string {
  switch (kind) {
    case "FLAG_NOT_FOUND":
      return "flag_not_found";
    case "WRONG_TYPE":
      return "type_mismatch";
    case "CLIENT_NOT_READY":
    case "FLAGS_UNAVAILABLE":
      return "provider_not_ready";
    case "MALFORMED_FLAG":
      return "parse_error";
    case "USER_NOT_SPECIFIED":
      return "targeting_key_missing";
    default:
      return "general";
  }
}

/** `feature_flag.error.message`: what went wrong, in a sentence. */
export function errorMessage(kind: EvaluationErrorKind, flagKey: string): string {
  switch (kind) {
    case "FLAG_NOT_FOUND":
      return `Rollgate has no flag "${flagKey}" for this user; the default was returned.`;
    case "WRONG_TYPE":
      return `The flag "${flagKey}" holds another type than the one asked for; the default was returned.`;
    case "CLIENT_NOT_READY":
      return "Rollgate's flags have not arrived yet; the default was returned.";
    case "FLAGS_UNAVAILABLE":
      return "No flags could be fetched from Rollgate for this user and none are cached; the default was returned.";
    case "MALFORMED_FLAG":
      return `Rollgate sent the flag "${flagKey}" in a form that could not be read; the default was returned.`;
    case "USER_NOT_SPECIFIED":
      return `The flag "${flagKey}" needs a user; the default was returned.`;
    default:
      return `Evaluating the flag "${flagKey}" failed inside rollgate; the default was returned.`;
  }
}
