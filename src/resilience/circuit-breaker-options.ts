import * as z from "zod/mini";
import { DURATION_BOUNDS, durationSchema } from "../options/duration-schema";

/**
 * When the circuit breaker stops sending requests, and for how long (PROTOCOL.md §4.2).
 *
 * @example
 * new RollgateClient({ apiKey, circuitBreaker: { failureThreshold: 3, resetTimeout: 60 } });
 */
export interface CircuitBreakerOptions {
  /**
   * Consecutive failed attempts (network, timeout, 408, 429, 5xx) that open the circuit.
   * Every attempt counts, retries included; a success or any other answer from the server
   * resets the count. An integer from 1.
   * @default 5
   */
  readonly failureThreshold?: number;
  /**
   * Seconds the circuit stays open before it lets one probe request through (half-open), from
   * 0.01 to 3600.
   * @default 30
   */
  readonly resetTimeout?: number;
}

/**
 * The defaults of {@link CircuitBreakerOptions} (§4.2; the official SDKs' threshold and
 * recovery time, §5.1).
 *
 * @example
 * const threshold = options.circuitBreaker?.failureThreshold ?? DEFAULT_CIRCUIT_BREAKER_OPTIONS.failureThreshold;
 */
export const DEFAULT_CIRCUIT_BREAKER_OPTIONS: Readonly<Required<CircuitBreakerOptions>> = Object.freeze({
  failureThreshold: 5,
  resetTimeout: 30,
});

/**
 * Validates user-supplied {@link CircuitBreakerOptions}; the client's option schema embeds it
 * under `circuitBreaker`. Unknown keys are rejected so that a typo is reported, not ignored.
 *
 * @example
 * const result = circuitBreakerOptionsSchema.safeParse(options.circuitBreaker ?? {}, IN_ENGLISH);
 */
export const circuitBreakerOptionsSchema = z.strictObject({
  failureThreshold: z.optional(z.int().check(z.minimum(1), z.maximum(1_000_000))),
  // At least 10 ms: a zero reset timeout would turn "open" into "half-open" at once.
  resetTimeout: z.optional(durationSchema("a reset timeout", DURATION_BOUNDS.circuitResetTimeout)),
});

/**
 * Applies {@link DEFAULT_CIRCUIT_BREAKER_OPTIONS} to (already validated) options, without
 * mutating them.
 *
 * @example
 * const breaker = new CircuitBreaker(resolveCircuitBreakerOptions(options.circuitBreaker), scheduler);
 */
export function resolveCircuitBreakerOptions(options: CircuitBreakerOptions = {}): Required<CircuitBreakerOptions> {
  return Object.freeze({
    failureThreshold: options.failureThreshold ?? DEFAULT_CIRCUIT_BREAKER_OPTIONS.failureThreshold,
    resetTimeout: options.resetTimeout ?? DEFAULT_CIRCUIT_BREAKER_OPTIONS.resetTimeout,
  });
}
