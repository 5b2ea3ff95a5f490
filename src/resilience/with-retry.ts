import { Observable, type SchedulerLike, type Subscription } from "rxjs";
import { retryDelay } from "./backoff";
import { classifyFailure, type FailureClass } from "./classify-failure";
import type { RetryOptions } from "./retry-options";

/** Options of {@link withRetry}. */
export interface WithRetryOptions {
  /** Retry count and backoff, defaults already applied (`resolveRetryOptions`). */
  readonly retry: Required<RetryOptions>;
  /** Where the backoff waits run; a `TestScheduler` in tests. */
  readonly scheduler: SchedulerLike;
  /**
   * Source of numbers in `[0, 1)` for the jitter.
   * @default Math.random
   */
  readonly random?: (() => number) | undefined;
  /**
   * Called once for every failed attempt, the last one included, with its classification and
   * its number (from 1). For logging and metrics; a callback that throws is ignored.
   */
  readonly onFailedAttempt?: ((failure: FailureClass, attemptNumber: number) => void) | undefined;
  /**
   * Seconds: a wait longer than this (only a `Retry-After` asks for one) ends the cycle with that
   * failure instead, so the caller can report it now and honour the wait without a parked cycle.
   * @default Infinity
   */
  readonly maxWait?: number | undefined;
}

/**
 * Runs `attempt` (a fresh subscription to a fresh observable each time) and retries it after
 * retryable failures (network, timeout, 408, 429, 5xx), up to `retry.maxRetries` times,
 * waiting `retryDelay` on the scheduler between attempts: full-jitter backoff, never earlier
 * than a `Retry-After`. Errors with the last attempt's failure as a typed `RollgateError`
 * (see `classifyFailure`) when a failure is not retryable or the retries are used up.
 *
 * It knows nothing of the circuit breaker: put the breaker inside, around each attempt, so
 * that every attempt is counted and an opened circuit stops the retries (its
 * `CircuitOpenError` is not retryable).
 *
 * `attempt` should produce one response (an HTTP request); long-lived streams reconnect with
 * their own loop.
 *
 * @example
 * const flags$ = withRetry(() => breaker.guard(fetchFlags$(request)), {
 *   retry: resolveRetryOptions(options.retry),
 *   scheduler,
 *   onFailedAttempt: (failure, n) => logger.debug(`Attempt ${n} failed: ${failure.error.message}`),
 * });
 */
export function withRetry<T>(attempt: () => Observable<T>, options: WithRetryOptions): Observable<T> {
  const { retry: retryOptions, scheduler, onFailedAttempt } = options;
  const random = options.random ?? Math.random;
  const maxWait = options.maxWait ?? Number.POSITIVE_INFINITY;

  // One Observable, not `defer(attempt).pipe(retry({ delay }))`: every flags request runs through
  // this, and the operator's subscriber, notifier and resubscription layers cost more than the
  // loop itself. Same behaviour: each attempt a fresh subscription, the wait on the scheduler.
  return new Observable<T>((subscriber) => {
    let failures = 0;
    let current: Subscription | undefined;
    let wait: Subscription | undefined;
    const failed = (error: unknown): void => {
      const attemptNumber = ++failures;
      const failure = classifyFailure(error);
      if (onFailedAttempt !== undefined) {
        try {
          onFailedAttempt(failure, attemptNumber);
        } catch {
          // A broken observer must not change what is retried.
        }
      }
      if (!failure.retryable || attemptNumber > retryOptions.maxRetries) {
        subscriber.error(failure.error);
        return;
      }
      // Whole milliseconds; a Retry-After (whole seconds) is never undercut by rounding.
      const delay = retryDelay(attemptNumber - 1, failure, retryOptions, random);
      if (delay > maxWait) {
        subscriber.error(failure.error);
        return;
      }
      wait = scheduler.schedule(() => {
        wait = undefined;
        if (!subscriber.closed) run();
      }, Math.round(delay * 1000));
    };
    const run = (): void => {
      let source: Observable<T>;
      try {
        source = attempt();
      } catch (error) {
        // A factory that throws is a failed attempt, as `defer` would report it.
        failed(error);
        return;
      }
      current = source.subscribe({ next: (value) => subscriber.next(value), error: failed, complete: () => subscriber.complete() });
    };
    run();
    return () => {
      wait?.unsubscribe();
      current?.unsubscribe();
    };
  });
}
