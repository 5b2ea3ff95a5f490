import type { Observable } from "rxjs";
import { resilientRequest, type RequestPolicyOptions } from "../resilience/resilient-request";
import type { CircuitBreaker } from "../resilience/circuit-breaker";

/** What {@link gatedRequest} needs. */
export interface GatedRequestDeps {
  /** Gates every attempt; events and telemetry never record outcomes in it. */
  readonly breaker: Pick<CircuitBreaker, "gate" | "guard">;
  readonly options: RequestPolicyOptions;
  /** `false` for one attempt (the flush on `close()`, where waiting out a backoff helps nobody). @default true */
  readonly retries?: boolean;
}

/**
 * The request policy of events and telemetry: `resilientRequest`'s timeout and retries, with the
 * circuit breaker as a gate only (`CircuitBreaker.gate`). An attempt leaves only while the
 * circuit is **closed** (not open, and not half-open, whose single probe belongs to the flag
 * fetch); otherwise it fails with `CircuitOpenError` without a request, and is not retried.
 *
 * Neither the failures nor the successes of these endpoints are recorded in the breaker: the
 * breaker answers "can flags be fetched?", and an events endpoint that answers must not close
 * a circuit opened by a failing flags endpoint, nor a failing one open it (issue 13, item 14).
 *
 * @example
 * await lastValueFrom(gatedRequest((signal) => transport.postEvents(batch, signal), { breaker, options }));
 */
export function gatedRequest<T>(work: (signal: AbortSignal) => Promise<T>, deps: GatedRequestDeps): Observable<T> {
  const request = { breaker: deps.breaker, options: deps.options, side: true };
  return resilientRequest(work, deps.retries === false ? { ...request, retries: false } : request);
}
