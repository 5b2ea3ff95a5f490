import {
  FlagNotFoundError,
  GeneralError,
  ParseError,
  ProviderNotReadyError,
  StandardResolutionReasons,
  TargetingKeyMissingError,
  TypeMismatchError,
  type FlagMetadata,
  type OpenFeatureError,
  type ResolutionDetails,
  type ResolutionReason,
} from "@openfeature/server-sdk";
import type { EvaluationDetail, EvaluationErrorKind, EvaluationReason, FlagSource, JsonValue } from "rollgate";

/** The value types OpenFeature resolves. */
export type OpenFeatureFlagType = "boolean" | "string" | "number" | "object";

/** What the flags read were, when they were read. */
export interface Freshness {
  /** The server could not vouch for them lately (unreachable, circuit open). */
  readonly stale: boolean;
  readonly source: FlagSource;
}

/**
 * An OpenFeature resolution from rollgate's answer for one flag (`getValueDetail(key, undefined)`:
 * the served value, or `undefined` when the flag serves nothing, and why).
 *
 * Reasons: `OFF` → `DISABLED`, `TARGET_MATCH`/`RULE_MATCH` → `TARGETING_MATCH`, `FALLTHROUGH` →
 * `DEFAULT`; but flags the server cannot vouch for right now are `STALE` (served from memory
 * while Rollgate is unreachable or the circuit is open), and flags read from the persistent cache
 * before the server answered are `CACHED`. `flagMetadata` carries rollgate's own reason
 * (`rollgateReason`) and, when it has them, `ruleId`, `ruleIndex` and `inRollout`. A flag that
 * serves nothing (a typed flag that is off or outside its rollout) resolves to the caller's
 * default with that reason.
 *
 * @throws the typed OpenFeature error for each failure (the SDK returns the caller's default with
 * its code): `FLAG_NOT_FOUND`, `TYPE_MISMATCH`, `PROVIDER_NOT_READY` (no flags yet, or none could
 * be fetched for this user), `PARSE_ERROR`, `TARGETING_KEY_MISSING`, `GENERAL`.
 */
export function toResolution<T>(
  flagKey: string,
  type: OpenFeatureFlagType,
  defaultValue: T,
  detail: EvaluationDetail<JsonValue | undefined>,
  freshness: Freshness,
): ResolutionDetails<T> {
  const { value, reason } = detail;
  if (reason.kind === "ERROR") throw errorFor(flagKey, reason.errorKind);
  if (value === undefined && reason.kind === "UNKNOWN") {
    throw new FlagNotFoundError(`Rollgate has no flag "${flagKey}" for this user; the default was returned. Check the key, and that the flag exists in this environment.`);
  }
  if (value !== undefined && !hasType(value, type)) {
    throw new TypeMismatchError(`The flag "${flagKey}" holds ${describe(value)}, not a ${type}; the default was returned. Resolve it with the getter for its type.`);
  }
  return {
    value: value === undefined ? defaultValue : (value as T),
    reason: reasonOf(reason, freshness),
    flagMetadata: metadataOf(reason),
  };
}

function errorFor(flagKey: string, kind: EvaluationErrorKind | undefined): OpenFeatureError {
  switch (kind) {
    case "FLAG_NOT_FOUND":
      return new FlagNotFoundError(`Rollgate has no flag "${flagKey}" for this user; the default was returned.`);
    case "WRONG_TYPE":
      return new TypeMismatchError(`The flag "${flagKey}" holds another type than the one asked for; the default was returned.`);
    case "CLIENT_NOT_READY":
      return new ProviderNotReadyError("Rollgate's flags have not arrived yet (the client's init() has not finished); the default was returned.");
    case "FLAGS_UNAVAILABLE":
      return new ProviderNotReadyError(
        "No flags could be fetched from Rollgate for this context (the server is unreachable or refused the request) and none are cached; the default was returned. The client keeps retrying.",
      );
    case "MALFORMED_FLAG":
      return new ParseError(`Rollgate sent the flag "${flagKey}" in a form that could not be read; the default was returned.`);
    case "USER_NOT_SPECIFIED":
      return new TargetingKeyMissingError(`The flag "${flagKey}" needs a user: set the evaluation context's targetingKey.`);
    default:
      return new GeneralError(`Evaluating the flag "${flagKey}" failed inside rollgate; the default was returned.`);
  }
}

function hasType(value: JsonValue, type: OpenFeatureFlagType): boolean {
  return type === "object" ? typeof value === "object" && value !== null : typeof value === type;
}

function describe(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function reasonOf(reason: EvaluationReason, freshness: Freshness): ResolutionReason {
  if (freshness.stale) return StandardResolutionReasons.STALE;
  if (freshness.source === "cache") return StandardResolutionReasons.CACHED;
  switch (reason.kind) {
    case "OFF":
      return StandardResolutionReasons.DISABLED;
    case "TARGET_MATCH":
    case "RULE_MATCH":
      return StandardResolutionReasons.TARGETING_MATCH;
    case "FALLTHROUGH":
      return StandardResolutionReasons.DEFAULT;
    default:
      return StandardResolutionReasons.UNKNOWN;
  }
}

// Reasons are shared, frozen objects (one per distinct reason in a snapshot): build each one's
// metadata once.
const METADATA = new WeakMap<EvaluationReason, FlagMetadata>();

function metadataOf(reason: EvaluationReason): FlagMetadata {
  let metadata = METADATA.get(reason);
  if (metadata === undefined) {
    const built: Record<string, string | number | boolean> = { rollgateReason: reason.kind };
    if (reason.ruleId !== undefined) built.ruleId = reason.ruleId;
    if (reason.ruleIndex !== undefined) built.ruleIndex = reason.ruleIndex;
    if (reason.inRollout !== undefined) built.inRollout = reason.inRollout;
    metadata = Object.freeze(built);
    METADATA.set(reason, metadata);
  }
  return metadata;
}
