import {
  BehaviorSubject,
  EMPTY,
  Observable,
  Subject,
  distinctUntilChanged,
  map,
  observeOn,
  queueScheduler,
  scan,
  switchMap,
  tap,
  timer,
  type SchedulerLike,
  type Subscription,
} from "rxjs";
import { CircuitOpenError, ClientClosedError } from "../errors";
import type { CircuitBreakerOptions } from "./circuit-breaker-options";
import { classifyFailure } from "./classify-failure";
import { INITIAL_BREAKER_STATE, reduceCircuit, type BreakerState, type CircuitEvent, type CircuitState } from "./circuit-state";

/**
 * The circuit breaker (PROTOCOL.md §4.2): after `failureThreshold` consecutive failed attempts
 * it opens and no request leaves the process; after `resetTimeout` seconds it lets exactly one
 * probe through; the probe's success closes it, its failure re-opens it for another
 * `resetTimeout`.
 *
 * The logic is the pure reducer `reduceCircuit`, folded with `scan` over an event stream;
 * this class adds the reset timer (on the injected scheduler) and the gate.
 *
 * **Composition.** `guard(work)` wraps *one attempt* and records its outcome itself, so the
 * retry loop goes outside and each retried attempt is counted on its own:
 *
 * ```ts
 * withRetry(() => breaker.guard(fetchFlags$(request)), { retry, scheduler });
 * ```
 *
 * An attempt succeeds at its first value (or completion without one). When it errors,
 * `classifyFailure` decides: a failure that signals unavailability (network, timeout, 408,
 * 429, 5xx) counts; any other answer from the server (401, 404, a bad payload) proves it
 * reachable and counts as a success; a failure that involved no request (`CircuitOpenError`)
 * counts as nothing. Recording in `guard` rather than in the caller means a half-open probe
 * always settles, and nobody can forget to record. Once the circuit opens mid-cycle, the
 * next retry is refused with `CircuitOpenError`, which `withRetry` does not retry.
 *
 * For a stream, the first value should mean "connected": a stream that connects counts as a
 * success, and a later drop is not recorded (its reconnection attempt is).
 *
 * `recordSuccess()` / `recordFailure()` are for outcomes observed outside `guard`.
 *
 * @example
 * const breaker = new CircuitBreaker(resolveCircuitBreakerOptions(options.circuitBreaker), scheduler);
 * breaker.circuitState$.subscribe((state) => logger.info(`Circuit ${state}`));
 * const flags$ = withRetry(() => breaker.guard(fetchFlags$(request)), { retry, scheduler });
 * // on close():
 * breaker.dispose();
 */
export class CircuitBreaker {
  /**
   * The public state: emits the current state at once to every subscriber, then each change
   * (never twice the same). Never errors; completes on `dispose()`.
   */
  readonly circuitState$: Observable<CircuitState>;

  private readonly events = new Subject<CircuitEvent>();
  private readonly state: BehaviorSubject<BreakerState>;
  private readonly subscriptions: Subscription;
  /** The reducer's latest result, read synchronously by the gate (ahead of `state` during delivery). */
  private current: BreakerState = INITIAL_BREAKER_STATE;
  /** Identifies the half-open probe in flight, so that a stale probe cannot release a newer one. */
  private probeId = 0;
  private disposed = false;

  constructor(
    options: Required<CircuitBreakerOptions>,
    private readonly scheduler: SchedulerLike,
  ) {
    this.state = new BehaviorSubject<BreakerState>(INITIAL_BREAKER_STATE);

    this.subscriptions = this.events
      .pipe(
        scan((state, event) => reduceCircuit(state, event, options), INITIAL_BREAKER_STATE),
        distinctUntilChanged(),
        // The gate must see a transition at once, even one caused from inside a subscriber.
        tap((state) => (this.current = state)),
        // Deliveries are trampolined: a subscriber that causes a transition (say, resetting an
        // open circuit) has its new state delivered after every subscriber has seen the
        // current one, so all of them see the states in order.
        observeOn(queueScheduler),
      )
      .subscribe({ next: (state) => this.state.next(state) });

    // The reset timer exists only while open; leaving "open" any other way cancels it.
    this.subscriptions.add(
      this.state
        .pipe(
          switchMap((state) =>
            state.kind === "open"
              ? // The timer is the authority: asyncScheduler's now() (Date.now) can read a millisecond
                // short of reopenAt when its (monotonic) timer fires, and the reducer would then
                // ignore the event and leave the circuit open for good.
                timer(Math.max(0, state.reopenAt - scheduler.now()), scheduler).pipe(map(() => Math.max(scheduler.now(), state.reopenAt)))
              : EMPTY,
          ),
        )
        .subscribe({ next: (at) => this.dispatch({ type: "reset-timer-elapsed", at }) }),
    );

    this.circuitState$ = this.state.pipe(
      map((state) => state.kind),
      distinctUntilChanged(),
    );
  }

  /**
   * The current state, synchronously.
   *
   * @example
   * if (breaker.getState() === "open") logger.warn("Rollgate is unreachable; serving cached flags.");
   */
  getState(): CircuitState {
    return this.current.kind;
  }

  /**
   * Closes the circuit and forgets the failures (`resetCircuit()`).
   *
   * @example
   * breaker.reset();
   */
  reset(): void {
    this.dispatch({ type: "manual-reset" });
  }

  /**
   * Records a successful attempt made outside {@link guard}.
   *
   * @example
   * breaker.recordSuccess();
   */
  recordSuccess(): void {
    this.dispatch({ type: "success" });
  }

  /**
   * Records a failed attempt made outside {@link guard}; only for failures that signal
   * unavailability (`classifyFailure(error).countsForBreaker`).
   *
   * @example
   * if (classifyFailure(error).countsForBreaker) breaker.recordFailure();
   */
  recordFailure(): void {
    this.dispatch({ type: "failure", at: this.scheduler.now() });
  }

  /**
   * Gates one attempt. Closed: subscribes to `work`. Open, or half-open with the probe already
   * in flight: errors at once with `CircuitOpenError` and never subscribes to `work`, so no
   * request leaves the process. Half-open otherwise: `work` becomes the probe. The outcome is
   * recorded as described on the class; values and errors pass through unchanged.
   * After `dispose()`, errors with `ClientClosedError`.
   *
   * `work` may be a function given `answered`, to call once the server's answer is in whole: the
   * attempt is then recorded as a success at once (whatever decoding the answer finds, the server
   * did answer), so that a probe's answer closes the circuit before anything runs after it.
   *
   * @example
   * withRetry(() => breaker.guard(fetchFlags$(request)), { retry, scheduler });
   */
  guard<T>(work: Observable<T> | ((answered: () => void) => Observable<T>)): Observable<T> {
    return new Observable<T>((subscriber) => {
      if (this.disposed) {
        subscriber.error(new ClientClosedError("A request through the circuit breaker"));
        return undefined;
      }
      const state = this.current;
      if (state.kind === "open" || (state.kind === "half-open" && state.probeInFlight)) {
        subscriber.error(new CircuitOpenError());
        return undefined;
      }
      let probeId: number | undefined;
      if (state.kind === "half-open") {
        probeId = ++this.probeId;
        this.dispatch({ type: "probe-started" });
      }

      let settled = false;
      const settle = (outcome: CircuitEvent | undefined): void => {
        if (settled) return;
        settled = true;
        if (outcome !== undefined) this.dispatch(outcome);
        else if (probeId !== undefined) this.abandonProbe(probeId);
      };

      const call = typeof work === "function" ? work(() => settle({ type: "success" })) : work;
      const inner = call.subscribe({
        next: (value) => {
          settle({ type: "success" });
          subscriber.next(value);
        },
        error: (error: unknown) => {
          settle(this.outcomeOf(error));
          subscriber.error(error);
        },
        complete: () => {
          settle({ type: "success" });
          subscriber.complete();
        },
      });

      return () => {
        inner.unsubscribe();
        // Unsubscribed before any outcome (cancelled, or timed out by an outer operator).
        if (!settled) {
          settled = true;
          if (probeId !== undefined) this.abandonProbe(probeId);
        }
      };
    });
  }

  /**
   * Gates a side request (the identify POST, events, telemetry) without letting it speak for the
   * flags endpoints: it leaves only while the circuit is closed (never as the half-open probe),
   * and its outcome is not recorded, so a healthy `/identify` cannot keep the circuit closed while
   * `/flags` fails, nor a failing one open it.
   *
   * @example
   * breaker.gate(postEvents$(batch)).subscribe();
   */
  gate<T>(work: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      if (this.disposed) {
        subscriber.error(new ClientClosedError("A request through the circuit breaker"));
        return undefined;
      }
      if (this.current.kind !== "closed") {
        subscriber.error(new CircuitOpenError());
        return undefined;
      }
      return work.subscribe(subscriber);
    });
  }

  /**
   * Stops the breaker: cancels the reset timer and completes `circuitState$`. Idempotent.
   * `getState()` keeps answering with the last state; later events are ignored.
   *
   * @example
   * breaker.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscriptions.unsubscribe();
    this.events.complete();
    this.state.complete();
  }

  private outcomeOf(error: unknown): CircuitEvent | undefined {
    const failure = classifyFailure(error);
    if (failure.countsForBreaker) return { type: "failure", at: this.scheduler.now() };
    if (failure.serverAnswered) return { type: "success" };
    return undefined;
  }

  private abandonProbe(probeId: number): void {
    if (probeId === this.probeId) this.dispatch({ type: "probe-abandoned" });
  }

  private dispatch(event: CircuitEvent): void {
    if (this.disposed) return;
    // A success while closed with no failures changes nothing (the reducer returns the same
    // state): the common outcome of every request skips the event pipeline.
    const current = this.current;
    if (event.type === "success" && current.kind === "closed" && current.consecutiveFailures === 0) return;
    this.events.next(event);
  }
}
