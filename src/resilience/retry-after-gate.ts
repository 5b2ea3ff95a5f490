import { Subject, type Observable } from "rxjs";
import type { FailureClass } from "./classify-failure";

/**
 * The server's "not before" (a `Retry-After` longer than a backoff would wait), shared by every
 * user's fetches: until it passes, no flags request leaves and fetches fail at once with the
 * failure that asked for the wait, instead of parking a fetch cycle (and every poll, refresh and
 * stream signal that would join it) for up to an hour behind an honest-looking status.
 *
 * @example
 * if (gate.blocked(now)) return gate.failure;
 */
export class RetryAfterGate {
  private until = Number.NEGATIVE_INFINITY;
  private last: FailureClass | undefined;
  private readonly closes = new Subject<number>();
  /** Each time the gate closes: the time (ms, scheduler clock) at which it opens again. */
  readonly closedUntil$: Observable<number> = this.closes.asObservable();

  /** Records a failure; one with a `Retry-After` closes the gate until then. */
  record(failure: FailureClass, nowMs: number): void {
    if (failure.retryAfter === undefined) return;
    const until = nowMs + failure.retryAfter * 1000;
    if (until > this.until) {
      this.until = until;
      this.last = failure;
      this.closes.next(until);
    }
  }

  /** The failure that closed the gate, while it is closed at `nowMs`. */
  blockedBy(nowMs: number): FailureClass | undefined {
    return nowMs < this.until ? this.last : undefined;
  }

  /** Opens the gate (the user asked, e.g. `resetCircuit()`). */
  clear(): void {
    this.until = Number.NEGATIVE_INFINITY;
    this.last = undefined;
  }
}
