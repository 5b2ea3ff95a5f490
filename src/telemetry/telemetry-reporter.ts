import { firstValueFrom, from, lastValueFrom, map, race, Subject, takeUntil, timer, type Subscription } from "rxjs";
import type { RollgateEvent } from "../model/rollgate-event";
import type { TelemetryStatus } from "../model/rollgate-status";
import { classifyDeliveryFailure } from "../delivery/delivery-failure";
import { gatedRequest } from "../delivery/gated-request";
import type { Logger } from "../logger/logger";
import type { RequestPolicyOptions } from "../resilience/resilient-request";
import type { CircuitBreaker } from "../resilience/circuit-breaker";
import type { EvaluationCounts } from "../transport/delivery-bodies";
import type { FlagsTransport } from "../transport/flags-transport";
import { GATHER_INTERVAL_MS, type CountedPeriod, type EvaluationCounter } from "./evaluation-counter";
import type { ResolvedTelemetryOptions } from "./telemetry-options";
import type { TelemetryStats } from "./telemetry-stats";

/** What a {@link TelemetryReporter} is built from. */
export interface TelemetryReporterDeps {
  readonly options: ResolvedTelemetryOptions;
  /** The counter the getters record into (shared by the client and every per-user view). */
  readonly counter: EvaluationCounter;
  readonly transport: Pick<FlagsTransport, "postTelemetry">;
  /** Gates every request (read only; see `gatedRequest`). */
  readonly breaker: Pick<CircuitBreaker, "getState" | "gate" | "guard">;
  /** `timeout` bounds each attempt and the whole of `close()`; `retry` and `scheduler` as for flags. */
  readonly requestOptions: RequestPolicyOptions;
  readonly logger: Logger;
  /** Receives `telemetry-sent`, `telemetry-dropped` and `error` events. */
  readonly emit: (event: RollgateEvent) => void;
}

const CANCELLED: unique symbol = Symbol("cancelled");

/**
 * Sends the evaluation counters (PROTOCOL.md §1.6) every `flushInterval`, on `flush()` and on
 * `close()`: `{ evaluations: { key: { total, true, false } }, period_ms }`, where `period_ms` is
 * the whole number of milliseconds (scheduler clock) since the previous delivered period, or
 * since the start. A period with no evaluation is not sent; it runs on into the next.
 *
 * A period that could not be delivered (network, timeout, 408, 429, 5xx, circuit open) is
 * merged back into the counters and goes out with the next one, its `period_ms` covering both:
 * nothing is lost, and memory stays bounded by the number of flags. Another 4xx drops the
 * period with a warning; 401/403 stop telemetry for good.
 *
 * @example
 * const counter = new EvaluationCounter(true);
 * const telemetry = new TelemetryReporter({ options: resolved.telemetry, counter, transport, breaker, requestOptions: resolved, logger, emit });
 * counter.record("new-checkout", true);
 * await telemetry.close();
 */
export class TelemetryReporter {
  private readonly cancel = new Subject<void>();
  private readonly interval: Subscription;
  private tail: Promise<void> = Promise.resolve();
  private periodStart: number;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  /** The period being sent (its counts are out of the counter until it settles). */
  private inFlight: CountedPeriod | undefined;
  private sentPeriods = 0;
  private sentEvaluations = 0;
  private droppedEvaluations = 0;
  private stopped = false;
  private closed = false;
  private closePromise: Promise<void> | undefined;
  private unsentWarned = false;
  private tickQueued = false;

  constructor(private readonly deps: TelemetryReporterDeps) {
    const { scheduler } = deps.requestOptions;
    this.periodStart = scheduler.now();
    const ms = deps.options.flushInterval * 1000;
    this.interval = timer(ms, ms, scheduler).subscribe(() => {
      // A send still retrying when the next interval comes covers it: ticks do not pile up.
      if (!this.tickQueued) {
        this.tickQueued = true;
        void this.enqueueSend(true).finally(() => (this.tickQueued = false));
      }
    });
    // The counts wait in the flag tables between gatherings, and a table's slot wraps past 2^26 - 1.
    this.scheduleGather();
  }

  /**
   * Gathers the counts in {@link GATHER_INTERVAL_MS}, then again, until the interval is
   * unsubscribed. Each gathering is an action of its own on the scheduler, not a periodic one: a
   * virtual-time scheduler chains a periodic action's runs into one subscription each, and
   * unsubscribing thousands of them (a test advancing hours at one a second) overflowed the stack.
   */
  private scheduleGather(): void {
    if (this.interval.closed) return;
    const { counter, requestOptions } = this.deps;
    const next = requestOptions.scheduler.schedule(() => {
      this.interval.remove(next);
      counter.gather();
      this.scheduleGather();
    }, GATHER_INTERVAL_MS);
    this.interval.add(next);
  }

  /**
   * Sends the counters now (unless there are none, or a `Retry-After` is being waited out);
   * resolves when delivered or failed, never rejects.
   *
   * @example
   * await telemetry.flush();
   */
  flush(): Promise<void> {
    if (this.closed) return this.closePromise ?? Promise.resolve();
    return this.enqueueSend(true);
  }

  /**
   * The counters not yet delivered and the totals since the start (`getTelemetryStats()`).
   *
   * @example
   * telemetry.stats().evaluations["new-checkout"]; // { total: 10, true: 7, false: 3 }
   */
  stats(): TelemetryStats {
    return {
      evaluations: this.pendingEvaluations(),
      periodMs: Math.round(this.deps.requestOptions.scheduler.now() - this.periodStart),
      ...this.status(),
    };
  }

  /** The counts alone, for `getStatus().telemetry`. */
  status(): TelemetryStatus {
    return {
      pendingEvaluations: this.deps.counter.pending() + (this.inFlight?.total ?? 0),
      sentPeriods: this.sentPeriods,
      sentEvaluations: this.sentEvaluations,
      droppedEvaluations: this.droppedEvaluations,
      stopped: this.stopped,
    };
  }

  /**
   * Stops counting and the interval, then sends the last period in one attempt, within
   * `timeout` seconds; what cannot be sent is dropped (counted, logged at debug level).
   * No request leaves while the circuit is open. Idempotent; never rejects; leaves no timer.
   *
   * @example
   * await telemetry.close();
   */
  close(): Promise<void> {
    this.closePromise ??= this.runClose();
    return this.closePromise;
  }

  /** The counter's counts plus those of a period in flight, which are still undelivered. */
  private pendingEvaluations(): Readonly<Record<string, EvaluationCounts>> {
    const counted = this.deps.counter.peek();
    if (this.inFlight === undefined) return counted;
    // Null prototype, like the counter's: a flag named `__proto__` stays an own key.
    const merged = Object.assign(Object.create(null) as Record<string, EvaluationCounts>, counted);
    for (const [key, sent] of Object.entries(this.inFlight.evaluations)) {
      const now = merged[key];
      merged[key] = now === undefined ? sent : { total: now.total + sent.total, true: now.true + sent.true, false: now.false + sent.false };
    }
    return merged;
  }

  private async runClose(): Promise<void> {
    this.closed = true;
    this.deps.counter.deactivate();
    this.interval.unsubscribe();
    this.cancel.next();
    const last = this.enqueueSend(false);
    const { timeout, scheduler } = this.deps.requestOptions;
    const finished = await firstValueFrom(race(from(last).pipe(map(() => true)), timer(timeout * 1000, scheduler).pipe(map(() => false))));
    if (!finished) {
      this.cancel.next();
      await last;
    }
    this.cancel.complete();
    const left = this.deps.counter.take().total;
    if (left > 0) {
      this.deps.logger.debug(`close() could not send the last ${left} evaluation counts; they were dropped.`);
      this.drop(left, "closed");
    }
  }

  private enqueueSend(retries: boolean): Promise<void> {
    this.tail = this.tail.then(async () => {
      try {
        await this.send(retries);
      } catch (error) {
        this.deps.logger.error("Sending evaluation telemetry failed unexpectedly.", { error: String(error) });
      }
    });
    return this.tail;
  }

  private async send(retries: boolean): Promise<void> {
    const { counter, transport, breaker, requestOptions, emit } = this.deps;
    const { scheduler } = requestOptions;
    const now = scheduler.now();
    if (this.stopped || (retries && now < this.pausedUntil)) return;
    const period = counter.take();
    if (period.total === 0) return;
    const periodMs = Math.round(now - this.periodStart);
    this.inFlight = period;
    try {
      const result = await lastValueFrom(
        gatedRequest((signal) => transport.postTelemetry({ evaluations: period.evaluations, period_ms: periodMs }, signal), {
          breaker,
          options: requestOptions,
          retries,
        }).pipe(takeUntil(this.cancel)),
        { defaultValue: CANCELLED },
      );
      this.inFlight = undefined;
      if (result === CANCELLED) {
        counter.restore(period);
        return;
      }
      this.periodStart = now;
      this.sentPeriods += 1;
      this.sentEvaluations += period.total;
      this.unsentWarned = false;
      emit({ type: "telemetry-sent", evaluations: period.total, periodMs });
    } catch (error) {
      this.inFlight = undefined;
      this.onFailed(error, period, now);
    }
  }

  private onFailed(error: unknown, period: CountedPeriod, takenAt: number): void {
    const { counter, requestOptions, logger, emit } = this.deps;
    const failure = classifyDeliveryFailure(error);
    switch (failure.kind) {
      case "retry-later":
      case "closed":
        // Merged into the current period; periodStart stays, so period_ms covers both.
        counter.restore(period);
        if (failure.kind === "retry-later" && failure.retryAfter !== undefined) {
          this.pausedUntil = requestOptions.scheduler.now() + failure.retryAfter * 1000;
        }
        if (!this.unsentWarned && failure.kind === "retry-later") {
          this.unsentWarned = true;
          logger.debug(`Could not send evaluation telemetry; the counts are kept and sent with the next period. ${failure.error.message}`, { code: failure.error.code });
        }
        return;
      case "drop":
        this.periodStart = takenAt;
        logger.warn(`Rollgate refused the evaluation telemetry of ${period.total} evaluations, which was dropped. ${failure.error.message}`, { code: failure.error.code });
        emit({ type: "error", error: failure.error });
        this.drop(period.total, "rejected");
        return;
      case "stop":
        this.stopped = true;
        counter.deactivate();
        this.interval.unsubscribe();
        logger.error(`Rollgate refused the API key for evaluation telemetry; telemetry is off from now on. ${failure.error.message}`, { code: failure.error.code });
        emit({ type: "error", error: failure.error });
        this.drop(period.total + counter.take().total, "unauthorized");
        return;
    }
  }

  private drop(evaluations: number, reason: "rejected" | "unauthorized" | "closed"): void {
    this.droppedEvaluations += evaluations;
    this.deps.emit({ type: "telemetry-dropped", evaluations, reason });
  }
}
