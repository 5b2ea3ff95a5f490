import { Observable, type Subscription } from "rxjs";

/**
 * Who is waiting for a request: a caller (a new user's `forUser`, `init()`, `refresh()`) or
 * nobody (a background revalidation, a poll). Callers go first.
 */
export type SlotPriority = "waiting" | "background";

interface Waiter {
  readonly start: () => void;
  cancelled: boolean;
}

/**
 * The client's flags requests in flight, at most `size` at once (the pool's connections): a
 * request waits here, in the client, until a connection is free for it, and only then leaves.
 * So time spent queued is never counted against the request's `timeout` (which starts when it is
 * sent), and a request given up while queued never reached the circuit breaker: the breaker sees
 * only what the server did. Callers waiting on a request are served before background ones.
 *
 * @example
 * const slots = new RequestSlots(64);
 * slots.run((answered) => breaker.guard(fetch$(answered)), "waiting").subscribe(...);
 */
export class RequestSlots {
  private free: number;
  private readonly waiting: Waiter[] = [];
  private readonly background: Waiter[] = [];
  private queuedCount = 0;

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Requests sent and not yet settled. */
  get inFlight(): number {
    return this.size - this.free;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.queuedCount;
  }

  /**
   * The Observable `work(answered)` returns, subscribed once a slot is free (at once when one is
   * and nobody waits before it). Unsubscribing while queued leaves the queue without a trace. The
   * slot is released when `work` calls `answered` (its answer is in: the connection is free while
   * the answer is decoded and applied), or else when it settles or is unsubscribed.
   */
  run<T>(work: (answered: () => void) => Observable<T>, priority: SlotPriority): Observable<T> {
    return new Observable<T>((subscriber) => {
      let holding = false;
      let inner: Subscription | undefined;
      let waiter: Waiter | undefined;
      const release = (): void => {
        if (!holding) return;
        holding = false;
        this.free++;
        this.startNext();
      };
      const start = (): void => {
        holding = true;
        this.free--;
        inner = work(release).subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            release();
            subscriber.error(error);
          },
          complete: () => {
            release();
            subscriber.complete();
          },
        });
      };
      if (this.free > 0 && this.queuedCount === 0) {
        start();
      } else {
        waiter = { start, cancelled: false };
        this.queuedCount++;
        (priority === "waiting" ? this.waiting : this.background).push(waiter);
      }
      return () => {
        if (waiter !== undefined && !holding && !waiter.cancelled && inner === undefined) {
          waiter.cancelled = true;
          this.queuedCount--;
        }
        inner?.unsubscribe();
        release();
      };
    });
  }

  private startNext(): void {
    while (this.free > 0) {
      const next = this.waiting.shift() ?? this.background.shift();
      if (next === undefined) return;
      if (next.cancelled) continue;
      this.queuedCount--;
      next.start();
    }
  }
}
