import { from, Observable, type ObservableInput, type Subscription } from "rxjs";

/**
 * How one refetch ended. A failure is a value, not an error, so that one failed fetch does
 * not end the stream of future refetches.
 */
export type RefetchOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Turns a stream of invalidation signals into refetches (PROTOCOL.md §4.3: "however many
 * arrive, at most one fetch is in flight and at most one more follows it").
 *
 * - A signal while idle starts `refetch(signal)` at once.
 * - Signals while a refetch is in flight collapse into one trailing refetch, started when the
 *   current one settles, with the latest of those signals: whatever the burst, that trailing
 *   fetch begins after the last signal, so it sees every change they announced.
 * - Each value the refetch produces is emitted as `{ ok: true, value }`; a refetch that errors
 *   (or rejects) is emitted as `{ ok: false, error }`, and the next signal refetches again.
 * - When `signals$` completes, the in-flight and trailing refetches still run, then the result
 *   completes. An error of `signals$` itself is passed on. Unsubscribing cancels the in-flight
 *   refetch (an Observable refetch is unsubscribed, which lets it abort its request).
 *
 * @param signals$ - the invalidation signals, e.g. the stream's events.
 * @param refetch - fetches fresh data; given the signal that triggered it.
 * @example
 * coalesceRefetch(streamEvents$, () => fetchFlags(request)).subscribe((outcome) =>
 *   outcome.ok ? apply(outcome.value) : report(outcome.error),
 * );
 */
export function coalesceRefetch<S, T>(
  signals$: Observable<S>,
  refetch: (signal: S) => ObservableInput<T>,
): Observable<RefetchOutcome<T>> {
  return new Observable<RefetchOutcome<T>>((subscriber) => {
    let inFlight: Subscription | undefined;
    let running = false;
    let trailing: { readonly signal: S } | undefined;
    let signalsDone = false;
    let generation = 0;

    const settle = (): void => {
      running = false;
      inFlight = undefined;
      const next = trailing;
      trailing = undefined;
      if (next !== undefined) start(next.signal);
      else if (signalsDone) subscriber.complete();
    };

    const start = (signal: S): void => {
      const mine = ++generation;
      running = true;
      let work: Observable<T>;
      try {
        work = from(refetch(signal));
      } catch (error) {
        subscriber.next({ ok: false, error });
        settle();
        return;
      }
      // `running` (not `inFlight`) marks the fetch as busy: a synchronous refetch settles
      // inside subscribe(), before `inFlight` could be assigned, and may even have started
      // the trailing one, which `generation` tells apart.
      const subscription = work.subscribe({
        next: (value) => subscriber.next({ ok: true, value }),
        error: (error: unknown) => {
          subscriber.next({ ok: false, error });
          settle();
        },
        complete: settle,
      });
      if (running && generation === mine) inFlight = subscription;
    };

    const source = signals$.subscribe({
      next: (signal) => {
        if (running) trailing = { signal };
        else start(signal);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        signalsDone = true;
        if (!running) subscriber.complete();
      },
    });

    return () => {
      source.unsubscribe();
      inFlight?.unsubscribe();
      trailing = undefined;
    };
  });
}
