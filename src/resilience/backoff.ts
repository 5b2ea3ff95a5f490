import type { FailureClass } from "./classify-failure";
import type { RetryOptions } from "./retry-options";

// 2^1023 is the largest finite power of two; beyond it `base * 2 ** attempt` would be
// `Infinity`, and `0 * Infinity` is NaN.
const MAX_EXPONENT = 1023;

/**
 * Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture
 * Blog): a uniformly random delay in `[0, min(cap, base * 2^attempt))`. Full jitter spreads
 * the retries of many clients that failed together, instead of having them retry in step.
 *
 * @param attempt Retries already made, from 0 (the first retry uses `base`).
 * @param baseSeconds Delay ceiling of the first retry, in seconds.
 * @param capSeconds Largest delay ceiling, in seconds.
 * @param random A source of numbers in `[0, 1)`, e.g. `Math.random`.
 * @returns The delay in seconds.
 *
 * @example
 * fullJitterBackoff(2, 0.1, 10, Math.random); // somewhere in [0, 0.4)
 */
export function fullJitterBackoff(attempt: number, baseSeconds: number, capSeconds: number, random: () => number): number {
  const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.min(attempt, MAX_EXPONENT));
  return random() * ceiling;
}

/**
 * The wait before the next attempt, in seconds: the full-jitter backoff, but never less than
 * the failure's `Retry-After` ("`Retry-After` wins", PROTOCOL.md §4.2), even when that
 * exceeds `maxDelay` (`parseRetryAfter` caps it at an hour).
 *
 * @param attempt Retries already made, from 0.
 * @param failure The classified failure of the attempt that just failed.
 * @param options The backoff base and cap, in seconds.
 * @param random A source of numbers in `[0, 1)`.
 *
 * @example
 * retryDelay(0, classifyFailure(new RateLimitError(5)), DEFAULT_RETRY_OPTIONS, Math.random); // 5
 */
export function retryDelay(
  attempt: number,
  failure: Pick<FailureClass, "retryAfter">,
  options: Required<Pick<RetryOptions, "baseDelay" | "maxDelay">>,
  random: () => number,
): number {
  const backoff = fullJitterBackoff(attempt, options.baseDelay, options.maxDelay, random);
  return failure.retryAfter === undefined ? backoff : Math.max(backoff, failure.retryAfter);
}
