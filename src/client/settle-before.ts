import { firstValueFrom, from, map, race, timer, type Observable, type SchedulerLike } from "rxjs";

/**
 * `work`'s result, or `undefined` once `deadline` (ms, scheduler clock) passes or `cancel$`
 * emits, whichever comes first. `work` itself goes on; only the wait is bounded.
 *
 * @example
 * const outcome = await settleBefore(scheduler, scheduler.now() + 10_000, fetchFlags(), closing$);
 */
export function settleBefore<T>(scheduler: SchedulerLike, deadline: number, work: Promise<T>, cancel$: Observable<unknown>): Promise<T | undefined> {
  return firstValueFrom(
    race(from(work), timer(Math.max(0, deadline - scheduler.now()), scheduler).pipe(map(() => undefined)), cancel$.pipe(map(() => undefined))),
    { defaultValue: undefined },
  );
}
