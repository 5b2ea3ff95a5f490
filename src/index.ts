/**
 * rollgate: a reactive Rollgate feature-flag client for Node.js.
 *
 * @example
 * import { RollgateClient } from "rollgate";
 * const client = new RollgateClient({ apiKey: process.env.ROLLGATE_API_KEY! });
 * await client.init();
 * client.isEnabled("new-checkout", false);
 */

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
export { containLogger, defaultLogger, silentLogger, type Logger } from "./logger/logger";

// Evaluation vocabulary
export type { EvaluationErrorKind, EvaluationReason, EvaluationReasonKind } from "./evaluation/evaluation-reason";
export type { JsonValue } from "./evaluation/flag-model";

export { SDK_NAME, SDK_VERSION } from "./version";
