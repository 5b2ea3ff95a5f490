import { Observable, type Subscriber } from "rxjs";

/**
 * "The client closed", for the many bounded waits of `init()`, `identify()` and `refresh()`: an
 * Observable that emits once on `fire()` (at once to late subscribers). Its subscribers are kept
 * in a Set, so 10,000 waits (identify() in a loop) come and go in O(1) each, where a Subject's
 * array would be scanned on every unsubscribe.
 *
 * @example
 * const closed = new CloseSignal();
 * race(work$, closed.fired$); // ...
 * closed.fire();
 */
export class CloseSignal {
  private readonly waiters = new Set<Subscriber<void>>();
  private done = false;

  readonly fired$ = new Observable<void>((subscriber) => {
    if (this.done) {
      subscriber.next();
      return undefined;
    }
    this.waiters.add(subscriber);
    return () => this.waiters.delete(subscriber);
  });

  fire(): void {
    this.done = true;
    for (const waiter of [...this.waiters]) waiter.next();
  }
}
