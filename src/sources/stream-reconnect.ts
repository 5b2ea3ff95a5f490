import {
  catchError,
  concat,
  defer,
  filter,
  ignoreElements,
  map,
  Observable,
  of,
  repeat,
  takeWhile,
  tap,
  throwError,
  timeout,
  timer,
  type SchedulerLike,
} from "rxjs";
import { NetworkError } from "../errors";
import { fullJitterBackoff } from "../resilience/backoff";
import { classifyFailure } from "../resilience/classify-failure";
import type { SseEventSignal, SseSignal } from "./sse-signal";
import type { StreamStatusChange } from "./stream-status";

/** What {@link reconnectingStream} emits: the stream's events, interleaved with its status changes. */
export type StreamOutput = SseEventSignal | StreamStatusChange;

/** Options of {@link reconnectingStream}. Durations are milliseconds (internal API). */
export interface ReconnectingStreamOptions {
  /** Runs every delay and timeout, and supplies `now()`. */
  readonly scheduler: SchedulerLike;
  /**
   * The circuit breaker's guard, applied to each connection observable. It should let the
   * connection through (counting the first signal as a success and an error as a failure) or
   * error at once with `CircuitOpenError`, which backs off like any other failure.
   * @default no gate
   */
  readonly gate?: <T>(work: Observable<T>) => Observable<T>;
  /** Base of the exponential backoff, in ms. @default 1000 */
  readonly initialDelay?: number;
  /** Cap of the exponential backoff, in ms. @default 30000 */
  readonly maxDelay?: number;
  /** A connection that stayed open this long (ms) resets the backoff to `initialDelay`. @default 60000 */
  readonly resetAfter?: number;
  /**
   * With no signal at all (event, heartbeat, any byte) for this long (ms), the connection is
   * treated as dead and replaced. Also bounds an attempt that never opens.
   * @default 300000 (PROTOCOL.md §4.3 `streamReadTimeout`)
   */
  readonly readTimeout?: number;
  /** Source of jitter, uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Called with every status change, before it is emitted. Must not throw. */
  readonly onStatus?: (status: StreamStatusChange) => void;
}

/**
 * Keeps a stream connected (PROTOCOL.md §4.3, STYLE.md point 5): subscribes to `open()`, and
 * whenever the connection errors, completes or stays silent for `readTimeout`, waits and
 * subscribes again. The wait is exponential with full jitter: a random delay in
 * `[0, min(maxDelay, initialDelay · 2^(attempt-1)))`, at least any `Retry-After` the server
 * sent on 429/503; it resets once a connection has stayed open `resetAfter`. A failure that
 * `classifyFailure` calls terminal (an `AuthenticationError` for 401/403: a wrong key cannot
 * heal), or whose error is not `retryable` (a `RequestError`: 204, which the SSE spec uses to
 * stop reconnection, 404, 400...), emits a `stopped` status and completes. Every other failure is reported in a `backing-off` status, never as an error, so the
 * returned observable only completes (on 401/403) or is unsubscribed; unsubscribing closes the
 * connection and cancels every timer.
 *
 * @param open - opens one connection; subscribed once per attempt (e.g. `openSseConnection`).
 * @example
 * reconnectingStream(() => openSseConnection({ url, headers }), { scheduler: asyncScheduler })
 *   .subscribe((output) => (output.type === "event" ? refetch$.next() : report(output)));
 */
export function reconnectingStream(open: () => Observable<SseSignal>, options: ReconnectingStreamOptions): Observable<StreamOutput> {
  const {
    scheduler,
    gate,
    initialDelay = 1000,
    maxDelay = 30_000,
    resetAfter = 60_000,
    readTimeout = 300_000,
    random = Math.random,
    onStatus,
  } = options;

  return defer(() => {
    // Per subscriber: attempts since the backoff last reset, and when the current connection opened.
    let attempt = 0;
    let openedAt: number | undefined;

    const connection = (): Observable<SseSignal> => (gate === undefined ? defer(open) : gate(defer(open)));

    const oneAttempt = defer((): Observable<StreamOutput> => {
      attempt += 1;
      openedAt = undefined;
      const thisAttempt = attempt;
      return concat(
        of<StreamOutput>({ type: "status", status: "connecting", attempt: thisAttempt }),
        connection().pipe(
          timeout({
            each: readTimeout,
            scheduler,
            with: () => throwError(() => new NetworkError(`the stream sent nothing, not even a heartbeat, for ${readTimeout / 1000} s`)),
          }),
          filter((signal) => signal.type !== "activity"),
          map((signal): StreamOutput => {
            if (signal.type === "event") return signal;
            openedAt = scheduler.now();
            return { type: "status", status: "open", attempt: thisAttempt };
          }),
        ),
        // A connection that ends cleanly is reconnected like a failed one.
        throwError(() => new NetworkError("the event stream ended")),
      ).pipe(
        catchError((cause: unknown): Observable<StreamOutput> => {
          // One classifier for every failure (STYLE.md point 7): it types foreign errors,
          // marks 401/403 terminal and reads Retry-After.
          const { error, terminal, retryAfter = 0 } = classifyFailure(cause);
          // Stop when retrying cannot help: 401/403 (terminal), and every failure whose error
          // says so (`retryable: false`: a RequestError for 204, 404, 400...), so that the
          // message "will not be retried" is true. The SSE spec makes 204 the server's way to
          // say "stop reconnecting" (WHATWG HTML §9.2.3).
          if (terminal || !error.retryable) return of({ type: "status", status: "stopped", error });
          if (openedAt !== undefined && scheduler.now() - openedAt >= resetAfter) attempt = 1;
          // fullJitterBackoff is unit-agnostic (its docs say seconds); here everything is ms.
          const backoffMs = Math.floor(fullJitterBackoff(attempt - 1, initialDelay, maxDelay, random));
          // A server that said when to come back (429/503 Retry-After) is not asked sooner.
          const delayMs = Math.max(backoffMs, retryAfter * 1000);
          return concat(
            of<StreamOutput>({ type: "status", status: "backing-off", attempt, delayMs, error }),
            timer(delayMs, scheduler).pipe(ignoreElements()),
          );
        }),
      );
    });

    return oneAttempt.pipe(
      // After a backoff completes, attempt again; `stopped` ends the loop (inclusive, so it is emitted).
      repeat(),
      takeWhile((output) => !(output.type === "status" && output.status === "stopped"), true),
      tap((output) => {
        if (output.type === "status" && onStatus !== undefined) onStatus(output);
      }),
    );
  });
}
