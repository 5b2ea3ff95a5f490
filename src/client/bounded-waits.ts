import type { SchedulerLike } from "rxjs";
import { CloseSignal } from "./close-signal";
import { settleBefore } from "./settle-before";

/**
 * The bounded waits of `init()`, `identify()` and `refresh()`: each settles by its deadline (the
 * `initTimeout` option, on the scheduler's clock), or at once when the client closes.
 *
 * @example
 * const waits = new BoundedWaits(scheduler, 5);
 * const outcome = await waits.settle(waits.deadline(), fetchFlags()); // undefined if too late
 */
export class BoundedWaits {
  private readonly closed = new CloseSignal();

  constructor(
    private readonly scheduler: SchedulerLike,
    /** Seconds. */
    private readonly initTimeout: number,
  ) {}

  /** When a wait starting now must settle at the latest (ms, scheduler clock). */
  deadline(): number {
    return this.scheduler.now() + this.initTimeout * 1000;
  }

  /** `work`'s result, or undefined if the deadline passes (or the client closes) first. */
  settle<T>(deadline: number, work: Promise<T>): Promise<T | undefined> {
    return settleBefore(this.scheduler, deadline, work, this.closed.fired$);
  }

  /** Ends every wait, now and later: the client closed. */
  end(): void {
    this.closed.fire();
  }
}
