import { Subject, takeUntil } from "rxjs";
import type { ResolvedOptions } from "./resolve-options";
import { CircuitBreaker } from "../resilience/circuit-breaker";
import { RetryAfterGate } from "../resilience/retry-after-gate";
import { classifyFailure, type FailureClass } from "../resilience/classify-failure";
import { pollingInterval } from "../sources/polling-interval";
import type { FlagsTransport } from "../transport/flags-transport";
import { flagsTransportFor } from "./flags-transport-for";
import { RequestSlots, type SlotPriority } from "../resilience/request-slots";
import { UserScope, type FetchTrigger } from "../scope/user-scope";
import { UserScopes } from "../scope/user-scopes";
import { logCircuitTransitions } from "./circuit-transition-log";
import { ClientCache } from "../scope/client-cache";
import { BoundedWaits } from "./bounded-waits";
import { StatusTracker } from "./status-tracker";
import type { StatusInputs } from "./client-status";
import { EventSender } from "../events/event-sender";
import type { TrackEvent } from "../events/track-event";
import { EvaluationCounter } from "../telemetry/evaluation-counter";
import { TelemetryReporter } from "../telemetry/telemetry-reporter";
import { EventHub } from "./event-hub";
import type { FetchOutcome } from "../scope/flag-fetcher";
import { resilientRequest, type RequestWork } from "../resilience/resilient-request";
import type { RollgateEvent } from "../model/rollgate-event";
import { EvaluationHooks } from "../scope/evaluation-hooks";
import type { RollgateUser } from "../model/rollgate-user";
import { emitSnapshotEvents } from "./snapshot-events";
import { StreamController } from "./stream-controller";
import { postIdentify } from "./post-identify";
import { BackgroundPolling } from "./background-polling";

export type Lifecycle = "created" | "initializing" | "ready" | "closed";

/** Longest wait for the cache store before fetching anyway (the cache may still apply later, until the server answers). */
const CACHE_LOAD_BUDGET_MS = 1_000;

/**
 * The parts every user shares, wired together: transport, breaker, stream, cache, event hub,
 * polling, the default (identify) user's scope and the per-request users' scopes. The client is
 * a facade over it; the per-user state lives in the scopes.
 */
export class ClientCore {
  readonly hub: EventHub;
  readonly breaker: CircuitBreaker;
  /** A long `Retry-After` from the server holds every user's fetches until it passes. */
  readonly retryGate = new RetryAfterGate();
  /** HTTP, or the `testData` option's in-process flags. */
  readonly transport: FlagsTransport;
  readonly cache: ClientCache | undefined;
  /** The identify() user's scope, read by the client's own getters. */
  readonly scope: UserScope;
  /** The per-request (`forUser`) users' scopes. */
  readonly users: UserScopes;
  readonly stream: StreamController;
  /** Counts what every user's getters serve; sent by `telemetry`. */
  readonly evaluations: EvaluationCounter;
  /** Evaluation hooks, run by the client's getters and every view's. */
  readonly hooks: EvaluationHooks;
  /** Conversion events (`track`); undefined with `events: false`. */
  readonly events: EventSender | undefined;
  /** Evaluation telemetry; undefined with `telemetry: false`. */
  readonly telemetry: TelemetryReporter | undefined;
  /** The client's health, derived from the parts above. */
  readonly status: StatusTracker;
  /** Emits once, on close: every subscription ends with it. */
  readonly closing = new Subject<void>();
  /** Stops listening for the cache store's recoveries. */
  private readonly stopRefill: (() => void) | undefined;
  /** The bounded waits of init(), identify() and refresh(), ended by close(). */
  readonly waits: BoundedWaits;
  /** Polling, from init until an authentication failure; and the fetch after a long Retry-After. */
  private readonly polling: BackgroundPolling;
  lifecycle: Lifecycle = "created";
  initStarted = false;

  constructor(readonly options: ResolvedOptions) {
    const { logger, scheduler, baseUrl, apiKey } = options;
    const now = () => scheduler.now();
    this.hub = new EventHub(logger);
    this.waits = new BoundedWaits(scheduler, options.initTimeout);
    this.evaluations = new EvaluationCounter(options.telemetry !== false);
    this.hooks = new EvaluationHooks(options.hooks, logger);
    this.breaker = new CircuitBreaker(options.circuitBreaker, scheduler);
    // Test data's changes are announced once init() has begun (init's own fetch sees earlier ones).
    const { transport, http } = flagsTransportFor(options, () =>
      this.initStarted && this.lifecycle !== "closed" ? this.refetchAll() : Promise.resolve(),
    );
    this.transport = transport;
    this.cache =
      options.cache === false
        ? undefined
        : new ClientCache({ cache: options.cache, baseUrl, apiKey, logger, now, maxEntries: options.users.maxUsers + 1, onError: (error) => this.hub.emit({ type: "error", error }) });
    // Every user's flags requests share the connections: at most `connections` in flight, the rest
    // wait in the client (callers first), never against their time-out nor the breaker.
    const slots = new RequestSlots(options.connections);
    const shared = {
      transport: this.transport,
      breaker: this.breaker,
      retryGate: this.retryGate,
      now,
      evaluations: this.evaluations,
      resilient: <T>(work: RequestWork<T>, priority: SlotPriority) => resilientRequest(work, { breaker: this.breaker, options, slots, priority }),
    };
    this.scope = new UserScope(options.user, {
      ...shared,
      cache: this.cache,
      epoch: () => 0,
      reporter: {
        changed: (previous, next, changed) => {
          emitSnapshotEvents(this.hub, previous, next, changed);
          this.status.update();
        },
        stale: (reason) => this.hub.emit({ type: "stale", reason }),
        failed: (failure, trigger) => this.onFetchFailed(failure, trigger),
      },
    });
    const emit = (event: RollgateEvent) => {
      this.hub.emit(event);
      this.status.update();
    };
    const delivery = { transport: this.transport, breaker: this.breaker, requestOptions: options, logger, emit };
    this.events = options.events === false ? undefined : new EventSender({ options: options.events, ...delivery });
    this.telemetry = options.telemetry === false ? undefined : new TelemetryReporter({ options: options.telemetry, counter: this.evaluations, ...delivery });
    this.users = new UserScopes({
      users: options.users,
      // Users' flags stay fresh as long as the default user's: while the stream is open changes
      // are announced, so nobody is refetched on a timer (only its verification interval).
      freshFor: () => pollingInterval(true, this.stream.state, options.refreshInterval),
      timeout: options.timeout,
      scheduler,
      logger,
      cache: this.cache,
      shared,
      hooks: this.hooks,
      track: (event, userId) => this.track(event, userId),
      onOverload: () => this.status.update(),
    });
    this.stream = new StreamController({
      options,
      transport: http,
      breaker: this.breaker,
      hub: this.hub,
      currentUser: () => this.scope.user,
      refetch: () => this.refetchAll(),
      onStopped: (error) => {
        this.scope.recordError(error);
        if (classifyFailure(error).terminal) this.polling.stop();
        this.hub.emit({ type: "error", error });
      },
    });
    // A shared store back from an outage may have lost everything (Redis restarted empty): refill it.
    this.stopRefill = options.cache === false ? undefined : options.cache.store.onResumed?.(() => this.refillCache());
    this.status = new StatusTracker(() => this.statusInputs(), this.hooks);
    // Each circuit and recovery transition logged once (open: warn; closed, recovered: info).
    logCircuitTransitions({ status$: this.status.status$, scheduler, logger });
    this.breaker.circuitState$.pipe(takeUntil(this.closing)).subscribe((state) => {
      this.hub.emit({ type: `circuit-${state}` });
      this.status.update();
    });
    this.stream.state$.pipe(takeUntil(this.closing)).subscribe(() => this.status.update());
    this.polling = new BackgroundPolling({
      options,
      stream$: this.stream.state$,
      retryGate: this.retryGate,
      poll: () => {
        this.users.refreshLive();
        return this.fetch("poll");
      },
      fetch: () => this.fetch("poll"),
      closing$: this.closing,
    });
  }

  /** A method, not a field read, so that TypeScript does not narrow `lifecycle` across awaits. */
  isClosed(): boolean {
    return this.lifecycle === "closed";
  }

  /** Queues a conversion event (see `RollgateClient.track`; `userId`: a view's user), and shows it in the status. */
  track(event: TrackEvent | Omit<TrackEvent, "userId">, userId?: string): boolean {
    const queued = this.events?.track(event, userId) ?? false;
    this.status.update();
    return queued;
  }

  /** Starts (or, after an authentication failure, restarts) polling and streaming. */
  startBackground(): void {
    this.polling.start();
    this.stream.restart();
  }

  /** Runs one fetch cycle for the default user. An explicit call retries what an authentication failure stopped. */
  fetch(trigger: FetchTrigger): Promise<FetchOutcome> {
    if ((trigger === "refresh" || trigger === "identify") && this.lifecycle === "ready") {
      this.polling.start();
      if (this.stream.state === "stopped") this.stream.restart();
    }
    return this.scope.fetch(trigger);
  }

  /** A change was announced (stream or test data): every user's flags are due; the default user's are fetched now. */
  refetchAll(): Promise<FetchOutcome> {
    this.users.invalidate();
    return this.fetch("stream");
  }

  /**
   * The identify POST (best effort, never the breaker's proof of health), then the fetch, for the
   * default user `user` (as switched to by the caller); `superseded` once the user changed again
   * or the client closed, so that of 10,000 identify() calls in a loop only the last reaches the server.
   */
  async postIdentifyThenFetch(sessionUser: RollgateUser | undefined, user: RollgateUser | undefined): Promise<FetchOutcome> {
    if (this.scope.user !== user) return { kind: "superseded" };
    if (sessionUser !== undefined && this.lifecycle !== "closed") {
      await postIdentify(sessionUser, { transport: this.transport, breaker: this.breaker, options: this.options, closing$: this.closing });
    }
    let outcome: FetchOutcome = { kind: "superseded" };
    // resetCircuit() cancels a cycle without changing the user: fetch again for the same user
    // (the caller's deadline still bounds the wait).
    while (outcome.kind === "superseded" && this.scope.user === user && this.lifecycle !== "closed") {
      outcome = await this.fetch("identify");
    }
    return outcome;
  }

  /** Loads the default user's cache, waiting at most 1 s (and never past `deadline`) for the store. */
  async loadCache(deadline: number): Promise<void> {
    // No cache, nothing to wait for: no bounded wait (and its timer) on every identify().
    if (this.cache === undefined) return;
    await this.waits.settle(Math.min(deadline, this.options.scheduler.now() + CACHE_LOAD_BUDGET_MS), this.scope.loadCache());
  }

  /** Stops everything; resolves once connections are released and queued cache saves are done (at most 1 s). */
  async close(): Promise<void> {
    this.lifecycle = "closed";
    this.closing.next();
    this.closing.complete();
    this.waits.end();
    this.polling.close();
    this.scope.cancel();
    this.users.close();
    this.stream.close();
    this.transport.beginClose?.();
    // Each delivers what it holds within `timeout` (nothing while the circuit is open).
    await Promise.all([this.events?.close(), this.telemetry?.close()]);
    this.breaker.dispose();
    this.status.update();
    this.status.complete();
    this.scope.store.complete();
    this.hub.complete();
    try {
      const [, flushed] = await Promise.all([this.transport.close(), this.cache?.flushWithin(CACHE_LOAD_BUDGET_MS, this.options.scheduler)]);
      if (flushed === false) this.options.logger.warn("The cache store did not finish saving within 1 s of close(); the last flags may not be persisted.");
      this.stopRefill?.();
      await this.cache?.close();
    } catch (error) {
      this.options.logger.warn("Closing the HTTP connections failed.", { error: String(error) });
    }
  }

  /** Saves again the flags this process holds from the server: the default user's and every per-request user's. */
  private refillCache(): void {
    if (this.cache === undefined || this.lifecycle === "closed") return;
    if (this.scope.hasServerFlags) this.cache.save(this.scope.store.current);
    this.users.refillCache();
  }

  private onFetchFailed(failure: FailureClass, trigger: FetchTrigger): void {
    const { error } = failure;
    if (error.code === "CIRCUIT_OPEN") {
      // Expected while the breaker is open: no request left; nothing new to report on each tick.
      if (trigger === "refresh" || trigger === "identify") this.options.logger.debug(error.message);
      this.status.update();
      return;
    }
    if (failure.terminal) {
      // A refused key cannot heal itself: stop polling and streaming (PROTOCOL.md §4.2) until
      // refresh(), identify() or resetCircuit() tries again.
      this.polling.stop();
      this.stream.markStopped();
    }
    // Other failures are the outage log's (logCircuitTransitions): one warning per outage.
    if (failure.terminal) this.options.logger.error(error.message, { code: error.code });
    this.hub.emit({ type: "error", error });
    this.status.update();
  }

  private statusInputs(): Omit<StatusInputs, "hooks"> {
    const closed = this.lifecycle === "closed";
    return {
      ready: this.lifecycle === "ready" || (closed && this.initStarted),
      closed,
      snapshot: this.scope.store.current,
      staleReason: this.scope.staleReason,
      lastError: this.scope.lastError,
      circuit: this.breaker.getState(),
      stream: this.stream.state,
      events: this.events?.stats(),
      telemetry: this.telemetry?.status(),
      users: this.users.status(),
    };
  }
}
