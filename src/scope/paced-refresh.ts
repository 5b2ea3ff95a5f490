import { from, mergeMap, Subscription } from "rxjs";

/**
 * How many items are refetched at once: the rate is bounded by the server's own pace (four per
 * round trip: 40 per second at 100 ms), and the refetches wait behind callers for connections.
 * No timer of its own, so in-process test data settles within microtasks.
 */
const CONCURRENCY = 4;

/**
 * Passes over the users someone subscribes to (`flag$`), refetching those due at most
 * {@link CONCURRENCY} at once: after a change signal they are refreshed by the client itself,
 * paced, never all at once. A pass asked for while one runs follows it.
 *
 * @example
 * const live = new PacedRefresh(() => dueWatchedUsers(), (user) => refetch(user));
 * live.request(); // on every poll tick and change signal
 */
export class PacedRefresh<T> {
  private readonly passes = new Subscription();
  private running = false;
  private again = false;

  constructor(
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
    const pass = from(items)
      .pipe(mergeMap((item) => from(this.fetch(item)), CONCURRENCY))
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
