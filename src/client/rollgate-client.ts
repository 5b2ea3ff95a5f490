import {
  BehaviorSubject,
  combineLatest,
  distinctUntilChanged,
  EMPTY,
  exhaustMap,
  firstValueFrom,
  from,
  map,
  type Observable,
  race,
  shareReplay,
  Subject,
  switchMap,
  takeUntil,
  timer,
} from "rxjs";
import { eachValueFrom } from "rxjs-for-await";
import type { EvaluationReason } from "../evaluation/evaluation-reason";
import type { JsonValue } from "../evaluation/flag-model";
import { AuthenticationError, CircuitOpenError, ClientClosedError, type RollgateError } from "../errors";
import { resolveOptions, type ResolvedOptions } from "../options/resolve-options";
import type { RollgateOptions } from "../options/rollgate-options";
import { CircuitBreaker } from "../resilience/circuit-breaker";
import { classifyFailure, type FailureClass } from "../resilience/classify-failure";
import { allFlags } from "../snapshot/all-flags";
import { changedKeys } from "../snapshot/changed-keys";
import { emptySnapshot, type FlagSnapshot } from "../snapshot/flag-snapshot";
import { jsonEqual } from "../snapshot/json-equal";
import { matchesDefaultKind, servedValue } from "../snapshot/served-value";
import { pollingInterval } from "../sources/polling-interval";
import type { FlagsRequest, FlagsResponse } from "../transport/flags-transport";
import { HttpFlagsTransport } from "../transport/http-flags-transport";
import { ClientCache } from "./client-cache";
import { EventHub } from "./event-hub";
import { FlagFetcher, type FetchOutcome } from "./flag-fetcher";
import { isLoopbackUrl } from "./is-loopback-url";
import { resilientRequest } from "./resilient-request";
import type { CircuitState, RollgateEvent, RollgateEventOf, RollgateEventType } from "./rollgate-event";
import type { RollgateStatus } from "./rollgate-status";
import type { RollgateUser } from "./rollgate-user";
import { SnapshotStore } from "./snapshot-store";
import { StreamController } from "./stream-controller";
import { validateUser } from "./validate-user";

/**
 * The type a getter returns for a default of type `T`: literal types widened, so that
 * `getValue("theme", "light")` is a `string` that may be `"dark"`.
 */
export type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T;

/** A value with the reason it was served. */
export interface EvaluationDetail<T> {
  readonly value: T;
  readonly reason: EvaluationReason;
}

const NOT_READY: EvaluationReason = Object.freeze({ kind: "ERROR", errorKind: "CLIENT_NOT_READY" });
const UNKNOWN_FLAG: EvaluationReason = Object.freeze({ kind: "UNKNOWN" });
const WRONG_TYPE: EvaluationReason = Object.freeze({ kind: "ERROR", errorKind: "WRONG_TYPE" });

type Lifecycle = "created" | "initializing" | "ready" | "closed";

/** What asked for a fetch. */
type FetchTrigger = "poll" | "refresh" | "identify" | "stream";

/** Longest wait for the cache store before fetching anyway (the cache may still apply later, until the server answers). */
const CACHE_LOAD_BUDGET_MS = 1_000;


/**
 * The Rollgate feature-flag client: flags fetched (and kept current by polling or streaming)
 * into one immutable snapshot, read synchronously by the getters and reactively by `flag$`.
 *
 * Getters never throw and never wait: before `init()`, for a missing flag or a value of the
 * wrong type they return the default you pass; after `close()` they keep answering from the
 * last snapshot.
 *
 * @example
 * const client = new RollgateClient({ apiKey: process.env.ROLLGATE_API_KEY! });
 * await client.init();
 * if (client.isEnabled("new-checkout", false)) { ... }
 * client.flag$("theme", "light").subscribe((theme) => applyTheme(theme));
 * await client.close();
 */
export class RollgateClient implements AsyncDisposable {
  /** Every event (ready, flags-updated, flag-changed, error, stale, circuit-*), hot. */
  readonly events$: Observable<RollgateEvent>;
  /** The client's health, replayed; emits on every change. */
  readonly status$: Observable<RollgateStatus>;
  /** The circuit breaker's state, distinct and replayed. */
  readonly circuitState$: Observable<CircuitState>;
  /** All served flag values (as `getAllFlags()`), replayed; emits when any value changes. */
  readonly flags$: Observable<Readonly<Record<string, JsonValue>>>;

  private readonly options: ResolvedOptions;
  private readonly store: SnapshotStore;
  private readonly hub: EventHub;
  private readonly transport: HttpFlagsTransport;
  private readonly breaker: CircuitBreaker;
  private readonly fetcher: FlagFetcher;
  private readonly cache: ClientCache | undefined;
  private readonly stream: StreamController;
  private readonly statusSubject: BehaviorSubject<RollgateStatus>;
  private readonly closing = new Subject<void>();
  /** Background fetching (polling, streaming) runs while this is true: after init, until an authentication failure. */
  private readonly pollingWanted = new BehaviorSubject<boolean>(false);
  private lifecycle: Lifecycle = "created";
  private user: RollgateUser | undefined;
  /** Bumped by every user switch; responses for an older generation are dropped. */
  private generation = 0;
  private lastError: RollgateError | undefined;
  /** The user generation whose flags the server last sent: cached flags never replace those. */
  private serverGeneration = -1;
  /** The user generation whose last fetch failed: cached flags that arrive later are stale. */
  private failedGeneration = -1;
  /** Why the snapshot is stale, while it is. */
  private staleReason = "";
  private initPromise: Promise<void> | undefined;
  private closePromise: Promise<void> | undefined;
  private latestIdentify: Promise<void> | undefined;

  /**
   * @throws RollgateConfigError when an option is invalid (the message names it; never the key).
   */
  constructor(options: RollgateOptions) {
    this.options = resolveOptions(options);
    const { logger, scheduler, baseUrl } = this.options;
    this.user = this.options.user;
    if (baseUrl.startsWith("http://") && !isLoopbackUrl(baseUrl)) {
      logger.warn("baseUrl uses plain http:// to a non-loopback host: the API key travels unencrypted. Use https://.");
    }

    this.hub = new EventHub(logger);
    this.events$ = this.hub.events$;
    this.store = new SnapshotStore(emptySnapshot(this.user), (previous, next, changed) => this.onSnapshotChange(previous, next, changed));
    this.breaker = new CircuitBreaker(this.options.circuitBreaker, scheduler);
    this.circuitState$ = this.breaker.circuitState$;
    this.transport = new HttpFlagsTransport({
      baseUrl,
      apiKey: this.options.apiKey,
      maxPayloadBytes: this.options.maxPayloadBytes,
      logger,
      dispatcher: this.options.dispatcher,
      now: () => scheduler.now(),
    });
    this.cache =
      this.options.cache === false
        ? undefined
        : new ClientCache({
            cache: this.options.cache,
            baseUrl,
            apiKey: this.options.apiKey,
            logger,
            now: () => scheduler.now(),
            onError: (error) => this.hub.emit({ type: "error", error }),
          });
    this.fetcher = new FlagFetcher({
      transport: this.transport,
      resilient: (work) => resilientRequest(work, { breaker: this.breaker, options: this.options }),
      apply: (response, request) => this.applyResponse(response, request),
    });
    this.stream = new StreamController({
      options: this.options,
      transport: this.transport,
      breaker: this.breaker,
      hub: this.hub,
      currentUser: () => this.user,
      refetch: () => this.fetchFlags("stream"),
      onStopped: (error) => {
        this.lastError = error;
        if (classifyFailure(error).terminal) this.pollingWanted.next(false);
        this.hub.emit({ type: "error", error });
      },
    });
    this.statusSubject = new BehaviorSubject(this.computeStatus());
    this.status$ = this.statusSubject.asObservable();
    this.flags$ = this.store.snapshot$.pipe(
      distinctUntilChanged((previous, next) => changedKeys(previous, next).length === 0),
      map((snapshot) => allFlags(snapshot.flags)),
      shareReplay({ bufferSize: 1, refCount: true }),
    );

    this.breaker.circuitState$.pipe(takeUntil(this.closing)).subscribe((state) => {
      this.hub.emit({ type: `circuit-${state}` });
      this.updateStatus();
    });
    this.stream.state$.pipe(takeUntil(this.closing)).subscribe(() => this.updateStatus());
    combineLatest([this.pollingWanted, this.stream.state$])
      .pipe(
        map(([wanted, stream]) => pollingInterval(wanted, stream, this.options.refreshInterval)),
        distinctUntilChanged(),
        switchMap((seconds) => (seconds > 0 ? timer(seconds * 1000, seconds * 1000, scheduler) : EMPTY)),
        exhaustMap(() => from(this.fetchFlags())),
        takeUntil(this.closing),
      )
      .subscribe({ error: (error: unknown) => logger.error("Polling stopped unexpectedly.", { error: String(error) }) });
  }

  // ── Synchronous reads (the hot path: no allocation, no logging, no clock) ──────────────────

  /**
   * Whether a flag is on for the current user. Returns `defaultValue` when the flag is unknown or
   * the client has no flags yet.
   *
   * @example
   * if (client.isEnabled("new-feature", false)) renderNewFeature();
   */
  isEnabled(key: string, defaultValue: boolean): boolean {
    const state = this.store.current.flags.get(key);
    return state === undefined ? defaultValue : state.enabled;
  }

  /**
   * A flag's value of any type. Returns `defaultValue` when the flag is unknown, not served, or
   * of a different JSON type than `defaultValue` (a `null`/`undefined` default accepts any type).
   *
   * @example
   * const theme = client.getValue("theme", "light");
   */
  getValue<T extends JsonValue | undefined>(key: string, defaultValue: T): Widen<T> {
    const value = servedValue(this.store.current.flags.get(key));
    return (value !== undefined && matchesDefaultKind(value, defaultValue) ? value : defaultValue) as Widen<T>;
  }

  /** A string flag's value, or `defaultValue`. @example client.getString("cta-color", "blue") */
  getString(key: string, defaultValue: string): string {
    const value = servedValue(this.store.current.flags.get(key));
    return typeof value === "string" ? value : defaultValue;
  }

  /** A number flag's value, or `defaultValue`. @example client.getNumber("results-per-page", 20) */
  getNumber(key: string, defaultValue: number): number {
    const value = servedValue(this.store.current.flags.get(key));
    return typeof value === "number" ? value : defaultValue;
  }

  /**
   * A JSON flag's value (an object or array, deeply frozen), or `defaultValue`.
   *
   * @example
   * const config = client.getJson("feature-config", { enabled: false, max_items: 10 });
   */
  getJson<T extends JsonValue>(key: string, defaultValue: T): T {
    const value = servedValue(this.store.current.flags.get(key));
    return typeof value === "object" && value !== null ? (value as T) : defaultValue;
  }

  /**
   * Every flag's served value: booleans for boolean flags, typed values for typed flags that are
   * enabled, `false` for typed flags that are not. The object is frozen and shared until the
   * flags change.
   *
   * @example
   * client.getAllFlags(); // { "feature-a": true, "theme": "dark" }
   */
  getAllFlags(): Readonly<Record<string, JsonValue>> {
    return allFlags(this.store.current.flags);
  }

  /** `isEnabled` with the reason the value was served. */
  isEnabledDetail(key: string, defaultValue: boolean): EvaluationDetail<boolean> {
    const state = this.store.current.flags.get(key);
    if (state === undefined) return { value: defaultValue, reason: this.missingReason() };
    return { value: state.enabled, reason: state.reason };
  }

  /** `getValue` with the reason the value was served (`WRONG_TYPE` for a type mismatch). */
  getValueDetail<T extends JsonValue | undefined>(key: string, defaultValue: T): EvaluationDetail<Widen<T>> {
    const fallback = defaultValue as Widen<T>;
    const state = this.store.current.flags.get(key);
    if (state === undefined) return { value: fallback, reason: this.missingReason() };
    const value = servedValue(state);
    if (value === undefined) return { value: fallback, reason: state.reason };
    if (!matchesDefaultKind(value, defaultValue)) return { value: fallback, reason: WRONG_TYPE };
    return { value: value as Widen<T>, reason: state.reason };
  }

  // ── Reactive reads ───────────────────────────────────────────────────────────────────────

  /**
   * One flag's served value now, then each time it changes (deep equality for JSON). With a
   * default, emits the value as `getValue` would; without, `undefined` while nothing is served.
   * Completes on `close()`.
   *
   * @example
   * client.flag$("theme", "light").subscribe((theme) => document.body.className = theme);
   */
  flag$(key: string): Observable<JsonValue | undefined>;
  flag$<T extends JsonValue>(key: string, defaultValue: T): Observable<Widen<T>>;
  flag$(key: string, defaultValue?: JsonValue): Observable<JsonValue | undefined> {
    return this.store.watch(key).pipe(
      map((state) => {
        const value = servedValue(state);
        return value !== undefined && matchesDefaultKind(value, defaultValue) ? value : defaultValue;
      }),
      distinctUntilChanged(jsonEqual),
    );
  }

  /** Whether a flag is on, now and on every change. Completes on `close()`. */
  isEnabled$(key: string, defaultValue: boolean): Observable<boolean> {
    return this.store.watch(key).pipe(
      map((state) => (state === undefined ? defaultValue : state.enabled)),
      distinctUntilChanged(),
    );
  }

  /**
   * A flag's values as an async iterable, ending on `close()` (or when you `break`).
   *
   * @example
   * for await (const theme of client.watch("theme", "light")) applyTheme(theme);
   */
  watch<T extends JsonValue>(key: string, defaultValue: T): AsyncIterable<Widen<T>> {
    return eachValueFrom(this.flag$(key, defaultValue));
  }

  /**
   * Calls `listener` for each event of one type; returns the function that stops it. A listener
   * that throws is logged and contained.
   *
   * @example
   * const off = client.on("circuit-open", () => log.warn("Rollgate unreachable: serving cached flags"));
   */
  on<T extends RollgateEventType>(type: T, listener: (event: RollgateEventOf<T>) => void): () => void {
    return this.hub.on(type, listener);
  }

  /** The client's health now. See {@link RollgateStatus}. */
  getStatus(): RollgateStatus {
    return this.statusSubject.value;
  }

  /** The circuit breaker's state now: `"closed" | "open" | "half-open"`. */
  getCircuitState(): CircuitState {
    return this.breaker.getState();
  }

  // ── Lifecycle ──────────────────────────────────────────────────────────────────────────────

  /**
   * Loads the cache, fetches flags and starts polling (and streaming). Settles within
   * `initTimeout`: a server that is down or slow is not an error (flags come from cache or
   * defaults, marked stale, and fetching goes on in the background). Calling it again returns the
   * same promise.
   *
   * @throws AuthenticationError when the server rejects the API key (getters still answer defaults).
   */
  init(): Promise<void> {
    this.initPromise ??= this.lifecycle === "closed" ? Promise.resolve() : this.runInit();
    return this.initPromise;
  }

  /**
   * Switches the user: the old user's fetch is cancelled (last identify wins), the server is told
   * (`POST /identify`), and flags are fetched for the new user. Resolves once they are applied, or
   * after `initTimeout` with the previous flags kept and marked stale.
   *
   * @throws RollgateConfigError for a user without a non-empty string `id`.
   * @throws ClientClosedError after `close()`.
   */
  async identify(user: RollgateUser): Promise<void> {
    await this.changeUser(validateUser(user), "identify()");
  }

  /**
   * Forgets the user: flags are fetched anonymously. Like Rollgate's Go SDK, the old user's server
   * session is blanked first.
   */
  async reset(): Promise<void> {
    await this.changeUser(undefined, "reset()");
  }

  /**
   * Fetches flags now. Resolves when they are applied or the attempt failed (the failure is
   * reported through `events$`, `status$` and the logger, never thrown), and at the latest after
   * `initTimeout` (a server that asked to wait with `Retry-After` is waited for in the
   * background); resolves at once, without network, while the circuit is open. Also restarts
   * polling and streaming stopped by an authentication failure.
   */
  async refresh(): Promise<void> {
    if (this.lifecycle === "closed") return;
    await this.before(this.initDeadline(), this.fetchFlags("refresh"));
  }

  /** Closes the circuit breaker by hand and fetches at once. Use with caution. */
  resetCircuit(): void {
    if (this.lifecycle === "closed") return;
    this.breaker.reset();
    // A cycle still waiting out a backoff or Retry-After would delay the fetch asked for now.
    this.fetcher.cancel();
    if (this.lifecycle === "ready") void this.fetchFlags("refresh");
  }

  /**
   * Stops every timer, request and stream, completes every observable and releases connections.
   * Idempotent. Getters keep answering from the last snapshot.
   */
  close(): Promise<void> {
    this.closePromise ??= this.runClose();
    return this.closePromise;
  }

  /** `await using client = new RollgateClient(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────

  private async runInit(): Promise<void> {
    this.lifecycle = "initializing";
    const generation = this.generation;
    // One bound for the whole of init; a cache store that hangs delays the network by at most
    // CACHE_LOAD_BUDGET_MS, and never adds to that bound.
    const deadline = this.initDeadline();
    await this.before(this.cacheDeadline(deadline), this.loadCache(generation));
    const outcome = await this.before(deadline, this.postIdentifyThenFetch(this.user, generation));
    if (this.isClosed()) return;
    this.lifecycle = "ready";
    const authFailure = outcome?.kind === "failed" && outcome.failure.error instanceof AuthenticationError ? outcome.failure.error : undefined;
    if (authFailure === undefined) {
      this.pollingWanted.next(true);
      this.stream.restart();
    } else {
      this.stream.markStopped();
    }
    if (outcome === undefined) this.markStale("The server did not answer within initTimeout; serving cache or defaults.");
    this.updateStatus();
    const snapshot = this.store.current;
    this.hub.emit({ type: "ready", source: snapshot.source, stale: snapshot.stale });
    if (authFailure !== undefined) throw authFailure;
  }

  private async changeUser(next: RollgateUser | undefined, operation: string): Promise<void> {
    if (this.lifecycle === "closed") throw new ClientClosedError(operation);
    const previous = this.user;
    this.user = next;
    const switching = this.switchUser(previous);
    this.latestIdentify = switching;
    await switching;
  }

  private async switchUser(previous: RollgateUser | undefined): Promise<void> {
    this.generation++;
    this.fetcher.cancel();
    const generation = this.generation;
    if (this.lifecycle === "ready") this.stream.restart();
    const current = this.store.current;
    // The old user's flags keep serving until the new user's arrive; they are stale meanwhile.
    this.staleReason = "The user changed; serving the previous flags until the new user's arrive.";
    this.store.apply({ ...current, user: this.user, etag: undefined, stale: true });
    const deadline = this.initDeadline();
    await this.before(this.cacheDeadline(deadline), this.loadCache(generation));
    const sessionUser = this.user ?? (previous === undefined ? undefined : { id: previous.id });
    const outcome = await this.before(deadline, this.postIdentifyThenFetch(sessionUser, generation));
    if (generation !== this.generation) {
      // A newer identify superseded this one: resolve when the newest settles (last one wins).
      await this.latestIdentify;
    } else if (outcome === undefined) {
      this.markStale("The server did not answer within initTimeout after the user changed; serving the previous flags.");
    }
  }

  /** Serves the current user's cached flags while nothing fresher has arrived for them. */
  private async loadCache(generation: number): Promise<void> {
    if (this.cache === undefined) return;
    const user = this.user;
    const cached = await this.cache.load(user);
    if (cached === undefined || generation !== this.generation || this.isClosed()) return;
    if (this.serverGeneration === generation) return;
    // Cached flags that turn up after the fetch failed are served, but stay stale for its reason.
    const fetchFailed = this.failedGeneration === generation;
    if (cached.stale && !fetchFailed) this.staleReason = "Serving cached flags older than cache.ttl until the server answers.";
    this.store.apply({ flags: cached.flags, source: "cache", fetchedAt: cached.savedAt, etag: cached.etag, user, stale: cached.stale || fetchFailed });
  }

  /** The identify POST (best effort), then the fetch; undefined when superseded or closed. */
  private async postIdentifyThenFetch(sessionUser: RollgateUser | undefined, generation: number): Promise<FetchOutcome> {
    if (this.isClosed()) return { kind: "superseded" };
    if (sessionUser !== undefined && this.breaker.getState() !== "open") {
      try {
        await firstValueFrom(resilientRequest((signal) => this.transport.postIdentify(sessionUser, signal), { breaker: this.breaker, options: this.options, retries: false }).pipe(takeUntil(this.closing)), { defaultValue: undefined });
      } catch (error) {
        // Unreachable or overloaded: the flag fetch that follows reports it, once.
        const failure = classifyFailure(error);
        const level = failure.countsForBreaker || failure.error.code === "CIRCUIT_OPEN" ? "debug" : "warn";
        this.options.logger[level]("Could not send the user to Rollgate (POST /identify); flags are still fetched with the user context.", { code: failure.error.code });
      }
    }
    let outcome: FetchOutcome = { kind: "superseded" };
    // resetCircuit() cancels a cycle without changing the user: fetch again for the same user
    // (the caller's deadline still bounds the wait).
    while (outcome.kind === "superseded" && generation === this.generation && !this.isClosed()) {
      outcome = await this.fetchFlags("identify");
    }
    return outcome;
  }

  /** Runs one fetch cycle for the current user and reports its outcome. */
  private async fetchFlags(trigger: FetchTrigger = "poll"): Promise<FetchOutcome> {
    if ((trigger === "refresh" || trigger === "identify") && this.lifecycle === "ready") {
      // An explicit call retries what an authentication failure stopped.
      if (!this.pollingWanted.value) this.pollingWanted.next(true);
      if (this.stream.state === "stopped") this.stream.restart();
    }
    if ((trigger === "refresh" || trigger === "identify") && this.breaker.getState() === "open") {
      // No request may leave while the circuit is open, and joining a cycle that waits out a
      // backoff would make the caller wait for nothing: answer at once.
      const failure = classifyFailure(new CircuitOpenError());
      this.onFetchFailed(failure, trigger);
      return { kind: "failed", failure };
    }
    if (trigger === "stream") {
      // A change announced now may postdate a fetch already in flight: wait for it, then fetch again.
      await this.fetcher.inFlightFor(this.generation);
      if (this.isClosed()) return { kind: "superseded" };
    }
    const snapshot = this.store.current;
    const request: FlagsRequest = { user: this.user, etag: snapshot.user === this.user ? snapshot.etag : undefined };
    const outcome = await this.fetcher.fetch(request, this.generation);
    if (outcome.kind === "failed") this.onFetchFailed(outcome.failure, trigger);
    return outcome;
  }

  private applyResponse(response: FlagsResponse, request: FlagsRequest): void {
    if (request.user !== this.user || this.lifecycle === "closed") return;
    this.serverGeneration = this.generation;
    const now = this.options.scheduler.now();
    const current = this.store.current;
    this.lastError = undefined;
    if (response.kind === "not-modified") {
      this.store.apply({ ...current, source: "server", fetchedAt: now, stale: false });
      return;
    }
    const next: FlagSnapshot = { flags: response.flags, source: "server", fetchedAt: now, etag: response.etag, user: request.user, stale: false };
    const changed = this.store.apply(next);
    // Save only new content: not a 304, not the same flags fetched again.
    if (changed.length > 0 || current.source !== "server" || current.user !== next.user || current.etag !== next.etag) this.cache?.save(next);
  }

  private onFetchFailed(failure: FailureClass, trigger: FetchTrigger): void {
    const { error } = failure;
    this.failedGeneration = this.generation;
    if (error.code === "CIRCUIT_OPEN") {
      // Expected while the breaker is open: no request left; nothing new to report on each tick.
      if (trigger === "refresh" || trigger === "identify") this.options.logger.debug(error.message);
      this.markStale("The circuit breaker is open; serving the last flags.");
      return;
    }
    this.lastError = error;
    if (failure.terminal) {
      // A refused key cannot heal itself: stop polling and streaming (PROTOCOL.md §4.2) until
      // refresh(), identify() or resetCircuit() tries again.
      this.pollingWanted.next(false);
      this.stream.markStopped();
    }
    this.options.logger[failure.terminal ? "error" : "warn"](error.message, { code: error.code });
    this.hub.emit({ type: "error", error });
    if (error.code !== "PAYLOAD_INVALID" && error.code !== "REQUEST_REJECTED") this.markStale(error.message);
    else this.updateStatus();
  }

  private markStale(reason: string): void {
    const current = this.store.current;
    this.staleReason = reason;
    if (!current.stale) {
      this.store.apply({ ...current, stale: true });
      this.hub.emit({ type: "stale", reason });
    }
    this.updateStatus();
  }

  private onSnapshotChange(previous: FlagSnapshot, next: FlagSnapshot, changed: readonly string[]): void {
    if (changed.length > 0 && this.hub.observed) {
      for (const key of changed) {
        this.hub.emit({ type: "flag-changed", key, value: servedValue(next.flags.get(key)), previousValue: servedValue(previous.flags.get(key)) });
      }
    }
    if (next.flags !== previous.flags) this.hub.emit({ type: "flags-updated", source: next.source, changedKeys: changed });
    this.updateStatus();
  }

  /** When `init()` or `identify()` must settle at the latest (ms, scheduler clock). */
  private initDeadline(): number {
    return this.options.scheduler.now() + this.options.initTimeout * 1000;
  }

  /** Waits for queued cache saves, but not for a store that hangs: close() must settle. */
  private async flushCache(): Promise<void> {
    if (this.cache === undefined) return;
    const flushed = await firstValueFrom(
      race(from(this.cache.flush()).pipe(map(() => true)), timer(CACHE_LOAD_BUDGET_MS, this.options.scheduler).pipe(map(() => false))),
    );
    if (!flushed) this.options.logger.warn("The cache store did not finish saving within 1 s of close(); the last flags may not be persisted.");
  }

  /** How long the network waits for the cache store: a healthy one answers in milliseconds. */
  private cacheDeadline(initDeadline: number): number {
    return Math.min(initDeadline, this.options.scheduler.now() + CACHE_LOAD_BUDGET_MS);
  }

  /** `work`'s result, or undefined if the deadline passes (or the client closes) first. */
  private before<T>(deadline: number, work: Promise<T>): Promise<T | undefined> {
    const { scheduler } = this.options;
    return firstValueFrom(
      race(from(work), timer(Math.max(0, deadline - scheduler.now()), scheduler).pipe(map(() => undefined)), this.closing.pipe(map(() => undefined))),
      { defaultValue: undefined },
    );
  }


  /** A method, not a field read, so that TypeScript does not narrow it across awaits. */
  private isClosed(): boolean {
    return this.lifecycle === "closed";
  }

  private missingReason(): EvaluationReason {
    return this.store.current.source === "defaults" && this.lifecycle !== "ready" ? NOT_READY : UNKNOWN_FLAG;
  }

  private computeStatus(): RollgateStatus {
    const snapshot = this.store.current;
    return Object.freeze({
      ready: this.lifecycle === "ready" || (this.lifecycle === "closed" && this.initPromise !== undefined),
      stale: snapshot.stale,
      staleReason: snapshot.stale ? this.staleReason : undefined,
      source: snapshot.source,
      lastUpdated: snapshot.fetchedAt === undefined ? undefined : new Date(snapshot.fetchedAt),
      lastError: this.lastError,
      circuit: this.breaker.getState(),
      stream: this.stream.state,
      closed: this.lifecycle === "closed",
    });
  }

  private updateStatus(): void {
    if (this.statusSubject.isStopped) return;
    const previous = this.statusSubject.value;
    const next = this.computeStatus();
    const same = (Object.keys(next) as (keyof RollgateStatus)[]).every((key) =>
      key === "lastUpdated" ? previous.lastUpdated?.getTime() === next.lastUpdated?.getTime() : previous[key] === next[key],
    );
    if (!same) this.statusSubject.next(next);
  }

  private async runClose(): Promise<void> {
    const wasClosed = this.lifecycle === "closed";
    this.lifecycle = "closed";
    if (wasClosed) return;
    this.closing.next();
    this.closing.complete();
    this.fetcher.cancel();
    this.pollingWanted.complete();
    this.stream.close();
    this.breaker.dispose();
    this.updateStatus();
    this.statusSubject.complete();
    this.store.complete();
    this.hub.complete();
    try {
      await Promise.all([this.transport.close(), this.flushCache()]);
    } catch (error) {
      this.options.logger.warn("Closing the HTTP connections failed.", { error: String(error) });
    }
  }
}

