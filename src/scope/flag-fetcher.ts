import { Subscription, type Observable } from "rxjs";
import type { FailureClass } from "../resilience/classify-failure";
import { classifyFailure } from "../resilience/classify-failure";
import type { FlagsRequest, FlagsResponse, FlagsTransport } from "../transport/flags-transport";
import type { SlotPriority } from "../resilience/request-slots";
import type { RequestWork } from "../resilience/resilient-request";

/** How one fetch cycle (all its retries) ended. */
export type FetchOutcome =
  | { readonly kind: "applied"; readonly response: FlagsResponse }
  | { readonly kind: "failed"; readonly failure: FailureClass }
  /** A newer user generation (identify, reset) or `close()` cancelled it. */
  | { readonly kind: "superseded" };

export interface FlagFetcherDeps {
  readonly transport: FlagsTransport;
  /** Wraps one I/O call with a connection slot, timeout, circuit breaker and retries. */
  readonly resilient: <T>(work: RequestWork<T>, priority: SlotPriority) => Observable<T>;
  /** Applies a response, for the user generation that asked for it. */
  readonly apply: (response: FlagsResponse, request: FlagsRequest) => void;
}

interface InFlight {
  readonly generation: number;
  readonly promise: Promise<FetchOutcome>;
  readonly cancel: () => void;
}

/**
 * Runs flag fetches so that at most one is in flight: callers for the same user generation join
 * it (a poll tick during a refresh costs nothing), and a newer generation cancels the older
 * fetch (last identify wins, and its abort signal stops the old request).
 */
export class FlagFetcher {
  private inFlight: InFlight | undefined;

  constructor(private readonly deps: FlagFetcherDeps) {}

  /** `priority`: whether somebody waits for this fetch (served first when connections are short). */
  fetch(request: FlagsRequest, generation: number, priority: SlotPriority = "waiting"): Promise<FetchOutcome> {
    if (this.inFlight?.generation === generation) return this.inFlight.promise;
    this.cancel();

    let settle!: (outcome: FetchOutcome) => void;
    const promise = new Promise<FetchOutcome>((resolve) => (settle = resolve));
    const subscription = new Subscription();
    const entry: InFlight = {
      generation,
      promise,
      cancel: () => {
        subscription.unsubscribe();
        settle({ kind: "superseded" });
      },
    };
    this.inFlight = entry;
    const done = (outcome: FetchOutcome) => {
      if (this.inFlight === entry) this.inFlight = undefined;
      settle(outcome);
    };
    const attempt = this.deps.resilient((signal, answered) => this.deps.transport.fetchFlags(request, signal, answered), priority).subscribe({
      next: (response) => {
        // The response is applied before anyone awaiting the fetch resumes, so that
        // `await client.refresh()` is followed by reads of the new flags.
        try {
          this.deps.apply(response, request);
        } finally {
          done({ kind: "applied", response });
        }
      },
      error: (error: unknown) => done({ kind: "failed", failure: classifyFailure(error) }),
    });
    subscription.add(attempt);
    return promise;
  }

  /** Whether a fetch for `generation` is in flight (a new call would join it). */
  isInFlight(generation: number): boolean {
    return this.inFlight?.generation === generation;
  }

  /** Resolves when the fetch in flight for `generation`, if any, has settled. */
  async inFlightFor(generation: number): Promise<void> {
    if (this.inFlight?.generation === generation) await this.inFlight.promise;
  }

  /** Cancels the fetch in flight, if any; its callers see `superseded`. */
  cancel(): void {
    const entry = this.inFlight;
    this.inFlight = undefined;
    entry?.cancel();
  }
}
