import { Observable } from "rxjs";

/**
 * Runs a promise-returning I/O function as a cold Observable: each subscription starts one call,
 * and unsubscribing (a timeout, a newer identify, `close()`) aborts it.
 */
export function abortable<T>(work: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    work(controller.signal).then(
      (value) => {
        settled = true;
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        settled = true;
        subscriber.error(error);
      },
    );
    // Only a call still in flight needs aborting: aborting a settled one builds an AbortError
    // (a DOMException with its stack) for nothing, twice per identify() and once per poll.
    return () => {
      if (!settled) controller.abort();
    };
  });
}
