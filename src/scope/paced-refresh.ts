import { concatMap, from, mergeMap, of, Subscription, timer, type SchedulerLike } from "rxjs";

/** How many items are refetched at once. */
const CONCURRENCY = 4;
/** And how many are started per second at most: a change never turns into a burst of refetches. */
const PER_SECOND = 50;

/**
 * Passes over the users someone subscribes to (`flag$`), refetching those due at most
 * {@link CONCURRENCY} at once and {@link PER_SECOND}: after a change signal they are refreshed by
 * the client itself, paced, never all at once. A pass asked for while one runs follows it.
 *
 * @example
 * const live = new PacedRefresh(scheduler, () => dueWatchedUsers(), (user) => refetch(user));
 * live.request(); // on every poll tick and change signal
 */
export class PacedRefresh<T> {
  private readonly passes = new Subscription();
  private running = false;
  private again = false;

  constructor(
    private readonly scheduler: SchedulerLike,
    /** The items due now (read when a pass starts). */
    private readonly due: () => T[],
    private readonly fetch: (item: T) => Promise<unknown>,
  ) {}

  /** Starts a pass, or asks for another once the current one ends. */
  request(): void {
    if (this.passes.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const items = this.due();
    if (items.length === 0) return;
    this.running = true;
    const spacing = 1000 / PER_SECOND;
    const pass = from(items)
      .pipe(
        concatMap((item, index) => (index === 0 ? of(item) : timer(spacing, this.scheduler).pipe(concatMap(() => of(item))))),
        mergeMap((item) => from(this.fetch(item)), CONCURRENCY),
      )
      .subscribe({
        error: () => undefined,
        complete: () => {
          this.passes.remove(pass);
          this.running = false;
          if (this.again) {
            this.again = false;
            this.request();
          }
        },
      });
    if (!pass.closed) this.passes.add(pass);
  }

  /** Stops the pass running, for good. */
  close(): void {
    this.passes.unsubscribe();
  }
}
