/**
 * rollgate/otel: flag evaluations in OpenTelemetry traces and metrics, as an evaluation hook, on
 * `@opentelemetry/api` (an optional peer dependency: only this entry point loads it).
 *
 * @example
 * import { RollgateClient } from "rollgate";
 * import { createOpenTelemetryHook } from "rollgate/otel";
 *
 * const client = new RollgateClient({ apiKey: process.env.ROLLGATE_API_KEY!, hooks: [createOpenTelemetryHook()] });
 */

export { createOpenTelemetryHook, EVALUATIONS_METRIC, type OpenTelemetryHookOptions } from "./open-telemetry-hook";
export { FEATURE_FLAG, PROVIDER_NAME, semconvErrorType, semconvReason, type SemconvReason } from "./semantic-conventions";
