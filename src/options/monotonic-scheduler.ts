import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from "rxjs";

/**
 * `performance.timeOrigin`, read once: it never changes, and Node's getter recomputes it on every
 * read (a third of the cost of a clock read, paid on every cached `forUser`).
 */
const TIME_ORIGIN = performance.timeOrigin;

/**
 * Milliseconds on a monotonic clock, read as epoch milliseconds: the wall clock when the process
 * started (`performance.timeOrigin`) plus the monotonic time since (`performance.now()`). It never
 * goes back and never jumps when the wall clock is set (NTP, an operator, a VM resumed), yet still
 * reads as a date, so that `getStatus().lastUpdated`, log timestamps and cache entries' ages across
 * restarts stay meaningful.
 *
 * @example
 * const start = monotonicNow();
 * // ... Date.now() may jump back 10 minutes here ...
 * monotonicNow() - start; // still the time that passed
 */
export function monotonicNow(): number {
  return TIME_ORIGIN + performance.now();
}

/**
 * The client's default scheduler: RxJS's `asyncScheduler` (its timers are Node timers, already
 * monotonic) with a monotonic {@link monotonicNow} as `now()`. `asyncScheduler.now()` is
 * `Date.now()`: with it, a wall clock set back 600 s froze per-user freshness, idle eviction and a
 * `Retry-After` gate for 600 s. Every age and deadline in the client is read from `now()`, so this
 * one object is what makes them monotonic in production; tests pass a virtual scheduler instead.
 *
 * @example
 * new RollgateClient({ apiKey, scheduler: monotonicScheduler }); // the default
 */
export const monotonicScheduler: SchedulerLike = Object.freeze({
  now: monotonicNow,
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    return asyncScheduler.schedule(work, delay, state);
  },
});
