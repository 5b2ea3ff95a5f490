import { distinctUntilChanged, map, scan, type Observable, type SchedulerLike, type Subscription } from "rxjs";
import type { Logger } from "../logger/logger";
import { INITIAL_OUTAGE_STATE, reduceOutage, type OutageLogEntry, type OutageSignals, type OutageState } from "./outage-transitions";

export interface CircuitTransitionLogSources {
  /**
   * The circuit and the last failure, current value first (the client's `status$` fits). The
   * first value is the starting point and logs nothing.
   */
  readonly status$: Observable<OutageSignals>;
  /** The clock outage durations are measured on. */
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
}

/**
 * Logs each circuit and recovery transition once (see `reduceOutage` for levels and wording):
 * an outage reads as one warning when the circuit opens and one info line each when it closes
 * and when flags recover, with the error code and how long it lasted. Ends when `status$`
 * completes (the client's does on `close()`), or when the returned subscription is unsubscribed.
 *
 * @example
 * logCircuitTransitions({ status$: client.status$, scheduler, logger });
 */
export function logCircuitTransitions({ status$, scheduler, logger }: CircuitTransitionLogSources): Subscription {
  return status$
    .pipe(
      distinctUntilChanged((a, b) => a.circuit === b.circuit && a.lastError === b.lastError),
      scan<OutageSignals, { state: OutageState | undefined; entries: OutageLogEntry[] }>(
        (acc, signals) => {
          // The first value is where we start from, not a transition.
          if (acc.state === undefined) {
            const start: OutageState = { ...INITIAL_OUTAGE_STATE, ...signals, failingSince: signals.lastError === undefined && signals.circuit === "closed" ? undefined : scheduler.now() };
            return { state: start, entries: [] };
          }
          return reduceOutage(acc.state, signals, scheduler.now());
        },
        { state: undefined, entries: [] },
      ),
      map((acc) => acc.entries),
    )
    .subscribe({
      next: (entries) => {
        for (const entry of entries) logger[entry.level](entry.message, entry.context);
      },
      // status$ never errors; should it ever, losing the outage log must not become an unhandled error.
      error: () => undefined,
    });
}
