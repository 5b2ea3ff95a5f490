import type { EvaluationReason } from "../model/evaluation-reason";
import { CircuitOpenError, type RollgateError } from "../errors";
import type { CircuitBreaker } from "../resilience/circuit-breaker";
import type { RetryAfterGate } from "../resilience/retry-after-gate";
import { classifyFailure, type FailureClass } from "../resilience/classify-failure";
import type { FlagSnapshot } from "../model/flag-snapshot";
import { emptySnapshot } from "../model/flag-snapshot";
import type { FlagsRequest, FlagsResponse, FlagsTransport } from "../transport/flags-transport";
import type { CachedFlags } from "../cache/cache-entry";
import type { SlotPriority } from "../resilience/request-slots";
import type { FlagsAge } from "./flags-freshness";
import type { ClientCache } from "./client-cache";
import { FlagFetcher, type FetchOutcome, type FlagFetcherDeps } from "./flag-fetcher";
import type { RollgateUser } from "../model/rollgate-user";
import { SnapshotStore, type ChangedKeys } from "./snapshot-store";
import type { EvaluationCounter } from "../telemetry/evaluation-counter";

/**
 * What asked for a fetch. `user` is a per-request view waiting for flags; `revalidate` refetches a
 * per-request user's due flags in the background (stale-while-revalidate).
 */
export type FetchTrigger = "poll" | "refresh" | "identify" | "stream" | "user" | "revalidate";

/** Fetches somebody waits for go before background ones when connections are short. */
function priorityOf(trigger: FetchTrigger): SlotPriority {
  return trigger === "poll" || trigger === "stream" || trigger === "revalidate" ? "background" : "waiting";
}

/** How a scope tells its owner what happened (the default scope turns these into client events). */
export interface ScopeReporter {
  /** A snapshot was applied; `changed()` lists the keys whose served value changed (computed on first call). */
  changed(previous: FlagSnapshot, next: FlagSnapshot, changed: ChangedKeys): void;
  /** The flags became stale, and why. */
  stale(reason: string): void;
  /** A fetch cycle failed (after its retries). */
  failed(failure: FailureClass, trigger: FetchTrigger): void;
}

export interface UserScopeDeps {
  readonly transport: FlagsTransport;
  /** Wraps one I/O call with a connection slot, timeout, circuit breaker and retries. */
  readonly resilient: FlagFetcherDeps["resilient"];
  readonly breaker: CircuitBreaker;
  /** The server's shared "not before" (a long `Retry-After`). */
  readonly retryGate: RetryAfterGate;
  readonly now: () => number;
  /** The persistent cache for this scope's flags; undefined keeps them in memory only. */
  readonly cache: ClientCache | undefined;
  /** The current invalidation epoch: a stream signal or `refresh()` bumps it. */
  readonly epoch: () => number;
  readonly reporter: ScopeReporter;
  /** Counts what the getters read in this scope's flags (evaluation telemetry); shared by every scope. */
  readonly evaluations: EvaluationCounter;
}

const NOT_READY: EvaluationReason = Object.freeze({ kind: "ERROR", errorKind: "CLIENT_NOT_READY" });
const UNAVAILABLE: EvaluationReason = Object.freeze({ kind: "ERROR", errorKind: "FLAGS_UNAVAILABLE" });
const UNKNOWN_FLAG: EvaluationReason = Object.freeze({ kind: "UNKNOWN" });
const SUPERSEDED: FetchOutcome = Object.freeze({ kind: "superseded" });

/**
 * Everything rollgate knows about one user's flags: the snapshot (one `BehaviorSubject`), a
 * single-flight fetcher (concurrent callers share one request), the ETag, whether the server has
 * answered and why the flags may be stale. The identify() user is one scope (the client's
 * default); every `forUser` user is another. Scopes share the transport, breaker and retries.
 */
export class UserScope implements FlagsAge {
  readonly store: SnapshotStore;
  private readonly fetcher: FlagFetcher;
  private currentUser: RollgateUser | undefined;
  /** Bumped by every user switch; answers for an older generation are dropped. */
  private generation = 0;
  /** The server has answered for the current user: cached flags never replace its flags. */
  private served = false;
  /** The last fetch cycle for the current user failed. */
  private failed = false;
  private reason = "";
  private error: RollgateError | undefined;
  /** The invalidation epoch the served flags were fetched in. */
  private fetchedEpoch = -1;
  /** The epoch at the start of the fetch in flight. */
  private pendingEpoch = -1;
  /** When the served flags were asked for (ms, monotonic clock). */
  private servedAskedAt = Number.NEGATIVE_INFINITY;
  /** When the fetch in flight was started. */
  private pendingAskedAt = Number.NEGATIVE_INFINITY;
  /** The invalidation epoch in which flags read from a shared store were judged current (-1: they were not). */
  private sharedEpoch = -1;
  /** When the flags read from a shared store were asked of Rollgate (the entry's savedAt). */
  private sharedAskedAt = Number.NEGATIVE_INFINITY;
  /** The fleet's change generation read before the next fetch (shared store; see CacheStore.advanceGeneration). */
  private nextGeneration: number | undefined;
  /** The fleet's change generation at the start of the fetch in flight. */
  private pendingGeneration: number | undefined;
  /** The fleet's change generation the served server flags were asked for in: what their entry records. */
  private fetchedGeneration: number | undefined;

  constructor(user: RollgateUser | undefined, private readonly deps: UserScopeDeps) {
    this.currentUser = user;
    this.store = new SnapshotStore(emptySnapshot(user), (previous, next, changed) => deps.reporter.changed(previous, next, changed), deps.evaluations);
    this.fetcher = new FlagFetcher({
      transport: deps.transport,
      resilient: deps.resilient,
      apply: (response, request) => this.apply(response, request),
    });
  }

  get user(): RollgateUser | undefined {
    return this.currentUser;
  }

  /** Why the flags are stale, while they are. */
  get staleReason(): string | undefined {
    return this.store.current.stale ? this.reason : undefined;
  }

  /** The last failure, cleared by the next answer from the server. */
  get lastError(): RollgateError | undefined {
    return this.error;
  }

  /** Whether the server has answered for this user, since the last switch. */
  get hasServerFlags(): boolean {
    return this.served;
  }

  /**
   * The age of the served server flags, for `judgeFreshness`: the scope itself (it is a
   * {@link FlagsAge}; no object per `forUser`), or undefined without server flags.
   */
  age(): FlagsAge | undefined {
    const { source } = this.store.current;
    // Flags another instance fetched (read from a shared store) are judged by the same rule.
    return (this.served && source === "server") || (source === "cache" && this.sharedAskedAt > Number.NEGATIVE_INFINITY) ? this : undefined;
  }

  /** When the served flags were asked for (ms, the scheduler's monotonic clock). */
  get askedAt(): number {
    return this.store.current.source === "cache" ? this.sharedAskedAt : this.servedAskedAt;
  }

  /** Whether a change was announced (a newer invalidation epoch) since they were asked for. */
  get changedSince(): boolean {
    return (this.store.current.source === "cache" ? this.sharedEpoch : this.fetchedEpoch) !== this.deps.epoch();
  }

  /**
   * Serves flags another instance fetched, read from the fleet's shared store: they were asked of
   * Rollgate at the entry's `savedAt`; `current` says whether that postdates every change announced
   * here (then they are judged like this process's own flags, until the next change). Flags of our
   * own that are as recent are kept.
   */
  adoptShared(cached: CachedFlags, current: boolean, stale: boolean): void {
    if (this.store.isComplete) return;
    const held = this.store.current;
    if (held.source === "server" && (held.fetchedAt ?? Number.NEGATIVE_INFINITY) >= cached.savedAt) return;
    this.sharedEpoch = current ? this.deps.epoch() : -1;
    this.sharedAskedAt = cached.savedAt;
    if (stale) this.reason = "Serving flags from the shared store that are due for a refresh, until Rollgate answers.";
    this.store.apply({ flags: cached.flags, source: "cache", fetchedAt: cached.savedAt, etag: cached.etag, user: this.currentUser, stale });
  }

  /**
   * The fleet's change generation just read from the shared store (undefined: unknown): the next
   * fetch started is asked for in it, and its entry records it.
   */
  askIn(generation: number | undefined): void {
    this.nextGeneration = generation;
  }

  /** Queues this scope's server flags for saving again (a shared store came back from an outage). */
  saveAgain(cache: ClientCache): void {
    if (this.served) cache.save(this.store.current, this.fetchedGeneration);
  }

  /** The reason a getter gives for a flag this scope does not have. */
  missingReason(): EvaluationReason {
    if (this.store.current.source !== "defaults") return UNKNOWN_FLAG;
    if (this.failed) return UNAVAILABLE;
    return this.served ? UNKNOWN_FLAG : NOT_READY;
  }

  /** Runs one fetch cycle for the current user (joining one in flight) and reports its outcome. */
  async fetch(trigger: FetchTrigger): Promise<FetchOutcome> {
    // Closed: nothing is sent, nor reported (a shared store's read that lands after close() asks for one).
    if (this.store.isComplete) return SUPERSEDED;
    if (trigger !== "poll" && trigger !== "stream" && this.deps.breaker.getState() === "open") {
      // No request may leave while the circuit is open, and joining a cycle that waits out a
      // backoff would make the caller wait for nothing: answer at once.
      const failure = classifyFailure(new CircuitOpenError());
      this.onFailed(failure, trigger);
      return { kind: "failed", failure };
    }
    if (trigger === "stream") {
      // A change announced now may postdate a fetch already in flight: wait for it, then fetch again.
      await this.fetcher.inFlightFor(this.generation);
    }
    if (!this.fetcher.isInFlight(this.generation)) {
      const waiting = this.deps.retryGate.blockedBy(this.deps.now());
      if (waiting !== undefined) {
        // Reported when it happened; each fetch until then only keeps the flags honestly stale.
        this.failed = true;
        this.markStale(`Rollgate asked to wait (Retry-After ${waiting.retryAfter} s); no flags request is sent before then.`);
        return { kind: "failed", failure: waiting };
      }
      this.pendingEpoch = this.deps.epoch();
      this.pendingAskedAt = this.deps.now();
      this.pendingGeneration = this.nextGeneration;
    }
    const snapshot = this.store.current;
    // A 304 vouches only for the ETag we sent: never send one that belongs to another user.
    const request: FlagsRequest = { user: this.currentUser, etag: snapshot.user === this.currentUser ? snapshot.etag : undefined };
    const outcome = await this.fetcher.fetch(request, this.generation, priorityOf(trigger));
    if (outcome.kind === "failed") this.onFailed(outcome.failure, trigger);
    return outcome;
  }

  /** Serves this user's cached flags while nothing fresher has arrived for them. */
  async loadCache(): Promise<void> {
    const cache = this.deps.cache;
    if (cache === undefined) return;
    const generation = this.generation;
    const user = this.currentUser;
    const cached = await cache.load(user);
    if (cached === undefined || generation !== this.generation || this.served || this.store.isComplete) return;
    // Cached flags that turn up after the fetch failed are served, but stay stale for its reason.
    if (cached.stale && !this.failed) this.reason = "Serving cached flags older than cache.ttl until the server answers.";
    this.store.apply({ flags: cached.flags, source: "cache", fetchedAt: cached.savedAt, etag: cached.etag, user, stale: cached.stale || this.failed });
  }

  /**
   * Makes this scope another user's: the fetch in flight is cancelled and nothing of the previous
   * user is served again (the new user's cache, then server flags, replace the defaults).
   */
  switchUser(user: RollgateUser | undefined): void {
    this.generation++;
    this.fetcher.cancel();
    this.currentUser = user;
    this.served = false;
    this.failed = false;
    this.fetchedEpoch = -1;
    this.sharedEpoch = -1;
    this.sharedAskedAt = Number.NEGATIVE_INFINITY;
    this.nextGeneration = this.fetchedGeneration = undefined;
    this.reason = "The user changed; the new user's flags have not arrived yet.";
    this.store.apply({ ...emptySnapshot(user), stale: true });
  }

  /** Marks the flags stale (once per episode) and records why. */
  markStale(reason: string): void {
    this.reason = reason;
    const current = this.store.current;
    if (current.stale) return;
    this.store.apply({ ...current, stale: true });
    this.deps.reporter.stale(reason);
  }

  /** The server did not answer in time: the flags (if any) are stale, and missing ones are errors. */
  markUnanswered(reason: string): void {
    this.failed = true;
    this.markStale(reason);
  }

  /** Records a failure that did not come from a fetch (the stream refused the key). */
  recordError(error: RollgateError): void {
    this.error = error;
  }

  /** Cancels the fetch in flight, if any (its callers see `superseded`). */
  cancel(): void {
    this.fetcher.cancel();
  }

  /** Stops fetching and completes every stream; the last snapshot keeps answering. */
  close(): void {
    this.fetcher.cancel();
    this.store.complete();
  }

  private apply(response: FlagsResponse, request: FlagsRequest): void {
    if (request.user !== this.currentUser || this.store.isComplete) return;
    this.served = true;
    this.failed = false;
    this.error = undefined;
    this.fetchedEpoch = this.pendingEpoch;
    this.servedAskedAt = this.pendingAskedAt;
    this.fetchedGeneration = this.pendingGeneration;
    const now = this.deps.now();
    const current = this.store.current;
    if (response.kind === "not-modified") {
      const confirmed: FlagSnapshot = { ...current, source: "server", fetchedAt: now, stale: false };
      this.store.apply(confirmed);
      // A shared store's entry must say when the fleet last asked Rollgate, even when nothing changed.
      if (this.deps.cache?.shared === true) this.deps.cache.save(confirmed, this.fetchedGeneration);
      return;
    }
    const next: FlagSnapshot = { flags: response.flags, source: "server", fetchedAt: now, etag: response.etag, user: request.user, stale: false };
    const changed = this.store.apply(next);
    // Save only new content: not a 304, not the same flags fetched again.
    const cache = this.deps.cache;
    if (cache !== undefined && (cache.shared || current.source !== "server" || current.etag !== next.etag || changed().length > 0)) cache.save(next, this.fetchedGeneration);
  }

  private onFailed(failure: FailureClass, trigger: FetchTrigger): void {
    this.failed = true;
    const circuitOpen = failure.error.code === "CIRCUIT_OPEN";
    if (!circuitOpen) this.error = failure.error;
    this.deps.retryGate.record(failure, this.deps.now());
    // Whatever failed (unreachable, refused, a body we could not use), the flags served are no
    // longer vouched for by the server. The reason is set first so the owner's report sees it.
    this.reason = circuitOpen ? "The circuit breaker is open; serving the last flags." : failure.error.message;
    this.deps.reporter.failed(failure, trigger);
    this.markStale(this.reason);
  }
}
