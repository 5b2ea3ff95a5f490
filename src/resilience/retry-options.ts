import * as z from "zod/mini";
import { DURATION_BOUNDS, durationSchema } from "../options/duration-schema";

/**
 * How failed requests are retried within one fetch cycle (PROTOCOL.md §4.2): exponential
 * backoff with full jitter, and never earlier than a server's `Retry-After`.
 *
 * @example
 * new RollgateClient({ apiKey, retry: { maxRetries: 5, maxDelay: 30 } });
 */
export interface RetryOptions {
  /**
   * Retries after the first attempt, so at most `maxRetries + 1` attempts per cycle. `0`
   * disables retrying; at most 100. Only retryable failures (network, timeout, 408, 429, 5xx)
   * are retried.
   * @default 3
   */
  readonly maxRetries?: number;
  /**
   * Backoff base, in seconds (0 to 60): retry `n` (from 0) waits a random time in
   * `[0, min(maxDelay, baseDelay * 2^n))`.
   * @default 0.1
   */
  readonly baseDelay?: number;
  /**
   * Backoff cap, in seconds (0 to 3600). A `Retry-After` from the server may ask for longer (up
   * to an hour), and wins.
   * @default 10
   */
  readonly maxDelay?: number;
}

/**
 * The defaults of {@link RetryOptions}, the same values as the official SDKs (§5.1).
 *
 * @example
 * const maxRetries = options.retry?.maxRetries ?? DEFAULT_RETRY_OPTIONS.maxRetries;
 */
export const DEFAULT_RETRY_OPTIONS: Readonly<Required<RetryOptions>> = Object.freeze({
  maxRetries: 3,
  baseDelay: 0.1,
  maxDelay: 10,
});

/**
 * Validates user-supplied {@link RetryOptions}; the client's option schema embeds it under
 * `retry`. Unknown keys are rejected so that a typo (`maxRetry`) is reported, not ignored.
 *
 * @example
 * const result = retryOptionsSchema.safeParse(options.retry ?? {}, IN_ENGLISH);
 */
export const retryOptionsSchema = z.strictObject({
  maxRetries: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
  baseDelay: z.optional(durationSchema("a backoff base", DURATION_BOUNDS.retryBaseDelay)),
  maxDelay: z.optional(durationSchema("a backoff cap", DURATION_BOUNDS.retryMaxDelay)),
});

/**
 * Applies {@link DEFAULT_RETRY_OPTIONS} to (already validated) options, without mutating them.
 *
 * @example
 * const retry = resolveRetryOptions(options.retry); // { maxRetries: 3, baseDelay: 0.1, maxDelay: 10 }
 */
export function resolveRetryOptions(options: RetryOptions = {}): Required<RetryOptions> {
  return Object.freeze({
    maxRetries: options.maxRetries ?? DEFAULT_RETRY_OPTIONS.maxRetries,
    baseDelay: options.baseDelay ?? DEFAULT_RETRY_OPTIONS.baseDelay,
    maxDelay: options.maxDelay ?? DEFAULT_RETRY_OPTIONS.maxDelay,
  });
}
