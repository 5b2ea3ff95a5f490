import { defer, type Observable, type SchedulerLike } from "rxjs";
import { TimeoutError } from "../errors";
import type { CircuitBreaker } from "./circuit-breaker";
import type { RetryOptions } from "./retry-options";
import { withRetry } from "./with-retry";
import type { RequestSlots, SlotPriority } from "./request-slots";
import { abortable } from "./abortable";

/** The options a request's policy reads: the client's resolved `timeout`, `retry` and `scheduler`. */
export interface RequestPolicyOptions {
  /** Seconds one attempt may take. */
  readonly timeout: number;
  readonly retry: Required<RetryOptions>;
  readonly scheduler: SchedulerLike;
}

export interface ResilientRequestDeps {
  readonly breaker: Pick<CircuitBreaker, "guard" | "gate">;
  readonly options: RequestPolicyOptions;
  /** `false` for best-effort calls (the identify POST) that get one attempt. @default true */
  readonly retries?: boolean;
  /**
   * A request to another endpoint than the flags (identify, events, telemetry): gated by the
   * breaker but never recorded by it (see `CircuitBreaker.gate`). @default false
   */
  readonly side?: boolean;
  /**
   * The flags requests' connections: each attempt waits here until one is free, and its `timeout`
   * starts only then (when it is sent). Undefined: sent at once.
   */
  readonly slots?: RequestSlots | undefined;
  /** Whether a caller waits on the request (served first) or it runs in the background. @default "waiting" */
  readonly priority?: SlotPriority;
}

/**
 * One attempt's I/O: `signal` aborts it, and `answered` is called once the server's answer is in
 * (see {@link resilientRequest}).
 */
export type RequestWork<T> = (signal: AbortSignal, answered: () => void) => Promise<T>;

/**
 * Every request's policy (DESIGN.md: `breaker.guard(retry(transport))`): each attempt is bounded
 * by `timeout` on the scheduler (which aborts it) and gated and counted by the circuit breaker;
 * retryable failures are retried with backoff outside the breaker, so every attempt counts.
 *
 * With `slots`, an attempt first waits for a free connection, outside the breaker and before its
 * deadline starts: the time-out measures the server from the moment the request is sent, and an
 * attempt cancelled while queued (its caller gone, the client closed) never reaches the breaker.
 * `work` calls `answered` once the server's answer is in, which hands its connection to the next
 * request waiting while the answer is decoded and applied. A retry's backoff holds no slot.
 */
export function resilientRequest<T>(work: RequestWork<T>, deps: ResilientRequestDeps): Observable<T> {
  const { timeout: seconds, retry, scheduler } = deps.options;
  const deadline = { ms: seconds * 1000, scheduler, error: () => new TimeoutError(seconds) };
  const { breaker, slots, priority = "waiting" } = deps;
  // One attempt, cold (each subscription is a new call with its own deadline): gated by the
  // breaker, and for flags requests recorded in it as soon as the answer is in, before the
  // connection goes to the next request (`freed`).
  const gated = (freed: () => void): Observable<T> =>
    deps.side === true
      ? breaker.gate(abortable((signal) => work(signal, freed), deadline))
      : breaker.guard((recorded) =>
          abortable(
            (signal) =>
              work(signal, () => {
                recorded();
                freed();
              }),
            deadline,
          ),
        );
  const sent = slots === undefined ? gated(ignoreAnswered) : slots.run(gated, priority);
  const attempt = () => sent;
  // A Retry-After longer than any backoff ends the cycle: the caller reports it and waits it out
  // (RetryAfterGate) instead of parking every later fetch behind it.
  return deps.retries === false ? defer(attempt) : withRetry(attempt, { retry, scheduler, maxWait: retry.maxDelay });
}

/** Without slots, an answer frees nothing. */
function ignoreAnswered(): void {}
