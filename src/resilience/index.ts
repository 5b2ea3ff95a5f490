// Internal barrel of the resilience building blocks: pure functions and RxJS, no I/O.
// The client composes them as `withRetry(() => breaker.guard(attempt$), …)`.

// Classifying failures
export { classifyFailure, httpFailureToError, type FailureClass } from "./classify-failure";
export { errorBodyDetail, errorDetail, MAX_ERROR_DETAIL_LENGTH } from "./error-detail";
export { redactSecrets, REDACTED } from "../errors/redact-secrets";
export { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from "./retry-after";

// Retrying
export { fullJitterBackoff, retryDelay } from "./backoff";
export { DEFAULT_RETRY_OPTIONS, resolveRetryOptions, retryOptionsSchema, type RetryOptions } from "./retry-options";
export { withRetry, type WithRetryOptions } from "./with-retry";

// Circuit breaker
export { CircuitBreaker } from "./circuit-breaker";
export {
  circuitBreakerOptionsSchema,
  DEFAULT_CIRCUIT_BREAKER_OPTIONS,
  resolveCircuitBreakerOptions,
  type CircuitBreakerOptions,
} from "./circuit-breaker-options";
export {
  INITIAL_BREAKER_STATE,
  reduceCircuit,
  type BreakerState,
  type CircuitEvent,
  type CircuitState,
} from "./circuit-state";

// Limits
export { MAX_TIMER_SECONDS } from "../options/max-timer-seconds";
