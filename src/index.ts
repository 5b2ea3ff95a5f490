/**
 * rollgate: a reactive Rollgate feature-flag client for Node.js.
 *
 * @example
 * import { RollgateClient } from "rollgate";
 * const client = new RollgateClient({ apiKey: process.env.ROLLGATE_API_KEY! });
 * await client.init();
 * client.isEnabled("new-checkout", false);
 */

// The client
export { RollgateClient } from "./client/rollgate-client";
export type { EvaluationDetail, Widen } from "./scope/flag-reader";
export type { UserFlags } from "./scope/user-flags";
export type { RevalidateMode, UsersOptions } from "./scope/users-options";
export type { RollgateOptions } from "./client/rollgate-options";
export type { TestDataSource } from "./transport/test-data-source";
export type { RollgateUser } from "./model/rollgate-user";
export type { RollgateEvent, RollgateEventOf, RollgateEventType } from "./model/rollgate-event";
export type { CircuitState, RollgateStatus, StreamConnectionState } from "./model/rollgate-status";
export type { FlagSource } from "./model/flag-snapshot";
export type { FlagState, FlagType } from "./model/flag-state";
export type { SchemaOutput, StandardSchemaV1, StandardSchemaV1Issue, StandardSchemaV1Props, StandardSchemaV1Result } from "./snapshot/standard-schema";

// Evaluation hooks (rollgate/otel has an OpenTelemetry one)
export type { EvaluationHook, EvaluationHookContext, EvaluationHookData, EvaluationHookDetail, EvaluationMethod } from "./model/evaluation-hook";
export type { HooksStatus } from "./model/rollgate-status";

// Conversion events and evaluation telemetry
export type { TrackEvent } from "./events/track-event";
export type { EventsOptions } from "./events/event-options";
export type { TelemetryOptions } from "./telemetry/telemetry-options";
export type { TelemetryStats } from "./telemetry/telemetry-stats";
export type { EventsStatus, TelemetryStatus, UsersStatus } from "./model/rollgate-status";
export type { EventsDropReason } from "./model/rollgate-event";
export type { EvaluationCounts } from "./transport/delivery-bodies";

// Options of the parts
export type { RetryOptions } from "./resilience/retry-options";
export type { CircuitBreakerOptions } from "./resilience/circuit-breaker-options";
export type { CacheOptions } from "./cache/cache-options";

// Cache stores (plug your own by implementing CacheStore)
export type { CacheStore, SharedStoreEntry } from "./cache/cache-store";
export { FileCacheStore, type FileCacheStoreOptions } from "./cache/file-cache-store";
export { MemoryCacheStore } from "./cache/memory-cache-store";

// Errors
export {
  AuthenticationError,
  CacheError,
  CircuitOpenError,
  ClientClosedError,
  NetworkError,
  PayloadError,
  RateLimitError,
  RequestError,
  RollgateConfigError,
  RollgateError,
  ServerError,
  TimeoutError,
  type PayloadIssue,
  type RollgateErrorCode,
} from "./errors";

// Logging
export { defaultLogger, silentLogger, type Logger } from "./logger/logger";
export { adaptLogger, containLogger, loggerCallStyle, type LoggerCallStyle, type LoggerLike } from "./logger/adapt-logger";
export { createJsonLogger, type JsonLoggerOptions } from "./logger/json-logger";
export type { LogFormat } from "./logger/log-format";

// Evaluation vocabulary
export type { EvaluationErrorKind, EvaluationReason, EvaluationReasonKind } from "./model/evaluation-reason";
export type { JsonValue } from "./model/flag-model";

export { SDK_NAME, SDK_VERSION } from "./version";
