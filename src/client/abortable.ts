import { Observable } from "rxjs";

/**
 * Runs a promise-returning I/O function as a cold Observable: each subscription starts one call,
 * and unsubscribing (a timeout, a newer identify, `close()`) aborts it.
 */
export function abortable<T>(work: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    work(controller.signal).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => controller.abort();
  });
}
