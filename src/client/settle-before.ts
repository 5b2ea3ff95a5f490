import { Subscription, type Observable, type SchedulerLike } from "rxjs";

/**
 * `work`'s result, or `undefined` once `deadline` (ms, scheduler clock) passes or `cancel$`
 * emits, whichever comes first; rejects if `work` rejects first. `work` itself goes on; only the
 * wait is bounded. One timer on the scheduler and two callbacks: every identify() and every new
 * `forUser` user waits through this, so it does without `race`/`firstValueFrom`'s subscribers.
 *
 * @example
 * const outcome = await settleBefore(scheduler, scheduler.now() + 10_000, fetchFlags(), closing$);
 */
export function settleBefore<T>(scheduler: SchedulerLike, deadline: number, work: Promise<T>, cancel$?: Observable<unknown>): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    let done = false;
    // Closed by the first outcome; anything added after that is unsubscribed at once.
    const waits = new Subscription();
    const end = (): boolean => {
      if (done) return false;
      done = true;
      waits.unsubscribe();
      return true;
    };
    // A signal that has already fired emits during subscribe: nothing else is started then.
    if (cancel$ !== undefined) waits.add(cancel$.subscribe(() => end() && resolve(undefined)));
    if (done) return;
    waits.add(scheduler.schedule(() => end() && resolve(undefined), Math.max(0, deadline - scheduler.now())));
    work.then(
      (value) => end() && resolve(value),
      (error: unknown) => end() && reject(error),
    );
  });
}
