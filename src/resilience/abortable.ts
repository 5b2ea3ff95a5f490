import { getEventListeners } from "node:events";
import { Observable, type SchedulerLike, type Subscription } from "rxjs";

/** A bound on how long one call may take before it is aborted and fails. */
export interface CallDeadline {
  /** Milliseconds, on `scheduler`, from the call's start. */
  readonly ms: number;
  readonly scheduler: SchedulerLike;
  /** The error the call fails with once the bound passes. */
  readonly error: () => unknown;
}

/**
 * Controllers of calls that settled without being aborted, and whose signal nobody listens to any
 * more (undici removes its listener when the response is done): indistinguishable from new ones,
 * and reused, because Node builds a new AbortSignal with a prototype swap that, with its first
 * listener, costs ~2.5 µs per request, more than the rest of this wrapper. Bounded.
 */
const spareControllers: AbortController[] = [];
const MAX_SPARE_CONTROLLERS = 16;

function release(controller: AbortController): void {
  if (spareControllers.length < MAX_SPARE_CONTROLLERS && !controller.signal.aborted && getEventListeners(controller.signal, "abort").length === 0) {
    spareControllers.push(controller);
  }
}

/**
 * Runs a promise-returning I/O function as a cold Observable: each subscription starts one call,
 * and unsubscribing (a newer identify, `close()`) aborts it. With a `deadline`, a call that has
 * not settled by then is aborted and fails with `deadline.error()`: what rxjs's `timeout` would
 * do around it, without its operator subscriber and scheduling layers on every request.
 *
 * `work` must not use its signal once its promise has settled: the signal may then serve another call.
 */
export function abortable<T>(work: (signal: AbortSignal) => Promise<T>, deadline?: CallDeadline): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = spareControllers.pop() ?? new AbortController();
    let settled = false;
    let timer: Subscription | undefined;
    work(controller.signal).then(
      (value) => {
        if (settled) return;
        settled = true;
        timer?.unsubscribe();
        release(controller);
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        timer?.unsubscribe();
        release(controller);
        subscriber.error(error);
      },
    );
    if (deadline !== undefined) {
      timer = deadline.scheduler.schedule(() => {
        if (settled) return;
        settled = true;
        // Aborted first, as `timeout` unsubscribes its source before it errors.
        controller.abort();
        subscriber.error(deadline.error());
      }, deadline.ms);
    }
    // Only a call still in flight needs aborting: aborting a settled one builds an AbortError
    // (a DOMException with its stack) for nothing, twice per identify() and once per poll.
    return () => {
      if (settled) return;
      settled = true;
      timer?.unsubscribe();
      controller.abort();
    };
  });
}
