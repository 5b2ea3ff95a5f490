import { BehaviorSubject, combineLatest, distinctUntilChanged, EMPTY, exhaustMap, from, map, switchMap, takeUntil, timer, type Observable } from "rxjs";
import type { ResolvedOptions } from "./resolve-options";
import type { RetryAfterGate } from "../resilience/retry-after-gate";
import { pollingInterval } from "../sources/polling-interval";
import type { StreamConnectionState } from "../model/rollgate-status";

export interface BackgroundPollingDeps {
  readonly options: Pick<ResolvedOptions, "refreshInterval" | "scheduler" | "logger">;
  /** The stream's connection state: polling pauses while it is open (and verifies it less often). */
  readonly stream$: Observable<StreamConnectionState>;
  readonly retryGate: RetryAfterGate;
  /** One poll: refreshes the users with live subscribers, then fetches the default user's flags. */
  readonly poll: () => Promise<unknown>;
  /** Fetches the default user's flags (once a long `Retry-After` has passed). */
  readonly fetch: () => Promise<unknown>;
  /** Emits once, on close. */
  readonly closing$: Observable<void>;
}

/**
 * When the client fetches on its own: every `refreshInterval` while polling is wanted (after
 * init, until a refused key stops it) at the interval the stream's state allows, and once more
 * as soon as a long `Retry-After` from the server has passed, rather than a poll later.
 * Overlapping ticks are dropped (`exhaustMap`): a slow fetch is never doubled.
 */
export class BackgroundPolling {
  /** Polling runs while this is true: after init, until an authentication failure. */
  private readonly wanted = new BehaviorSubject<boolean>(false);

  constructor(deps: BackgroundPollingDeps) {
    const { options, stream$, retryGate, poll, fetch, closing$ } = deps;
    const { scheduler, logger, refreshInterval } = options;
    combineLatest([this.wanted, stream$])
      .pipe(
        map(([wanted, stream]) => pollingInterval(wanted, stream, refreshInterval)),
        distinctUntilChanged(),
        switchMap((seconds) => (seconds > 0 ? timer(seconds * 1000, seconds * 1000, scheduler) : EMPTY)),
        exhaustMap(() => from(poll())),
        takeUntil(closing$),
      )
      .subscribe({ error: (error: unknown) => logger.error("Polling stopped unexpectedly.", { error: String(error) }) });
    retryGate.closedUntil$
      .pipe(
        switchMap((until) => timer(Math.max(0, until - scheduler.now()), scheduler)),
        exhaustMap(() => from(this.wanted.value ? fetch() : EMPTY)),
        takeUntil(closing$),
      )
      .subscribe({ error: (error: unknown) => logger.error("Retrying after Retry-After stopped unexpectedly.", { error: String(error) }) });
  }

  /** Whether polling runs (or would, but for an open stream). */
  get isWanted(): boolean {
    return this.wanted.value;
  }

  /** Starts polling (after init, or again after an explicit retry of a refused key). */
  start(): void {
    if (!this.wanted.value && !this.wanted.isStopped) this.wanted.next(true);
  }

  /** Stops polling until `start()`: the key was refused, and retrying cannot help. */
  stop(): void {
    if (this.wanted.value && !this.wanted.isStopped) this.wanted.next(false);
  }

  /** Stops for good (the client closed). */
  close(): void {
    this.wanted.complete();
  }
}
