import { distinctUntilChanged, map, type Observable, shareReplay } from "rxjs";
import type { JsonValue } from "../model/flag-model";
import { AuthenticationError, ClientClosedError, RollgateConfigError } from "../errors";
import { resolveOptions } from "./resolve-options";
import type { RollgateOptions } from "./rollgate-options";
import { FlagReader } from "../scope/flag-reader";
import type { UserFlags } from "../scope/user-flags";
import { allFlags } from "../snapshot/all-flags";
import { changedKeys } from "../snapshot/changed-keys";
import { ClientCore } from "./client-core";
import { isLoopbackUrl } from "./is-loopback-url";
import type { RollgateEvent, RollgateEventOf, RollgateEventType } from "../model/rollgate-event";
import type { CircuitState, RollgateStatus } from "../model/rollgate-status";
import type { RollgateUser } from "../model/rollgate-user";
import type { TrackEvent } from "../events/track-event";
import type { TelemetryStats } from "../telemetry/telemetry-stats";
import type { EvaluationHook } from "../model/evaluation-hook";
import { validateUser } from "../scope/validate-user";

/**
 * The Rollgate feature-flag client: flags fetched (and kept current by polling or streaming)
 * into one immutable snapshot per user, read synchronously by the getters and reactively by
 * `flag$`.
 *
 * The client's own getters answer for its default user (`options.user`, then `identify()`); a
 * server answering many users at once asks `await client.forUser(user)` for each request's user.
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
export class RollgateClient extends FlagReader implements AsyncDisposable {
  /** Every event (ready, flags-updated, flag-changed, error, stale, circuit-*), hot. */
  readonly events$: Observable<RollgateEvent>;
  /** The client's health, replayed; emits on every change. */
  readonly status$: Observable<RollgateStatus>;
  /** The circuit breaker's state, distinct and replayed. */
  readonly circuitState$: Observable<CircuitState>;
  /** All served flag values (as `getAllFlags()`), replayed; emits when any value changes. */
  readonly flags$: Observable<Readonly<Record<string, JsonValue>>>;

  private readonly core: ClientCore;
  private initPromise: Promise<void> | undefined;
  private closePromise: Promise<void> | undefined;
  /** The newest identify()/reset(): an older one resolves when this one settles (last one wins). */
  private latestSwitch: Promise<void> | undefined;

  /**
   * @throws RollgateConfigError when an option is invalid (the message names it; never the key).
   */
  constructor(options: RollgateOptions) {
    const core = new ClientCore(resolveOptions(options));
    super(core.scope, core.hooks);
    this.core = core;
    if (core.options.baseUrl.startsWith("http://") && !isLoopbackUrl(core.options.baseUrl)) {
      core.options.logger.warn("baseUrl uses plain http:// to a non-loopback host: the API key travels unencrypted. Use https://.");
    }
    this.events$ = core.hub.events$;
    this.status$ = core.status.status$;
    this.circuitState$ = core.breaker.circuitState$;
    this.flags$ = core.scope.store.snapshot$.pipe(
      distinctUntilChanged((previous, next) => changedKeys(previous, next).length === 0),
      map((snapshot) => allFlags(snapshot.flags)),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  /**
   * The flags of one user, for one request: resolves at once when that user's flags are fresh
   * (fetched within `refreshInterval`, no change announced since), else after one fetch (shared
   * by concurrent calls for the same user), and within `timeout` whatever the server does. When
   * Rollgate cannot be reached, a user seen before keeps their last flags (marked stale) and a
   * new user gets your defaults with an `ERROR` reason: never another user's flags. Nothing it
   * does changes what other users or the client's own getters see.
   *
   * Users are kept in a bounded LRU (`users` option). After `close()` it answers from memory.
   *
   * @throws RollgateConfigError (as a rejection) for a user without a non-empty string `id`,
   * or whose context is too large to send.
   *
   * @example
   * const flags = await client.forUser({ id: req.user.id, attributes: { plan: req.user.plan } });
   * if (flags.isEnabled("new-checkout", false)) { ... }
   */
  forUser(user: RollgateUser): Promise<UserFlags> {
    return this.core.users.forUser(user);
  }

  /**
   * Calls `listener` for each event of one type; returns the function that stops it. A listener
   * that throws is logged and contained.
   *
   * @example
   * const off = client.on("circuit-open", () => log.warn("Rollgate unreachable: serving cached flags"));
   */
  on<T extends RollgateEventType>(type: T, listener: (event: RollgateEventOf<T>) => void): () => void {
    return this.core.hub.on(type, listener);
  }

  /** The default user the client's own getters answer for (`options.user`, `identify()`); undefined when anonymous. */
  get user(): RollgateUser | undefined {
    return this.core.scope.user;
  }

  /** The client's health now. See {@link RollgateStatus}. */
  getStatus(): RollgateStatus {
    return this.core.status.current();
  }

  /**
   * Adds an evaluation hook, run around every evaluation of this client and of every `forUser`
   * view (after the hooks already there; see {@link EvaluationHook}). Returns a function that
   * removes it.
   *
   * @example
   * const remove = client.addHook({ afterEvaluation: (context, data, detail) => log(context.flagKey, detail.value) });
   * remove();
   */
  addHook(hook: EvaluationHook): () => void {
    const remove = this.core.hooks.add(hook);
    this.core.status.update();
    return () => {
      remove();
      this.core.status.update();
    };
  }

  /**
   * Records a conversion event for A/B tests (PROTOCOL.md §1.5), timestamped now, queued and sent
   * in batches (every `events.flushInterval`, at `events.maxBatch`, on `flushEvents()` and
   * `close()`). Synchronous and never throws: an invalid event (a missing `flagKey`,
   * `eventName` or `userId`, a non-finite `value`, `metadata` that is not JSON or is over 8 KiB
   * of UTF-8 JSON), or one that throws when read (a getter, a Proxy), is dropped with one warning
   * and `false` is returned. On a `forUser` view, `userId` is the view's user.
   *
   * @example
   * client.track({ flagKey: "checkout-redesign", eventName: "purchase", userId: "user-123", value: 29.99 });
   */
  track(event: TrackEvent): boolean {
    return this.core.track(event);
  }

  /** Sends the queued conversion events now; resolves when they are sent or kept for a retry. */
  flushEvents(): Promise<void> {
    return this.core.events?.flush() ?? Promise.resolve();
  }

  /** Sends the evaluation counts now (PROTOCOL.md §1.6). */
  flushTelemetry(): Promise<void> {
    return this.core.telemetry?.flush() ?? Promise.resolve();
  }

  /** The evaluation counts not yet sent, per flag; undefined with `telemetry: false`. */
  getTelemetryStats(): TelemetryStats | undefined {
    return this.core.telemetry?.stats();
  }

  /** The circuit breaker's state now: `"closed" | "open" | "half-open"`. */
  getCircuitState(): CircuitState {
    return this.core.breaker.getState();
  }

  // ── Lifecycle ──────────────────────────────────────────────────────────────────────────────

  /**
   * Loads the cache, fetches flags and starts polling (and streaming). Settles within
   * `initTimeout`: a server that is down or slow is not an error (flags come from cache or
   * defaults, marked stale, and fetching goes on in the background). Calling it again returns the
   * same promise.
   *
   * @throws AuthenticationError when the server rejects the API key (getters still answer defaults).
   * @throws RollgateConfigError when no request can be made as set up, e.g. an ES-module bundle
   * that cannot load undici (the message says the fix).
   */
  init(): Promise<void> {
    this.initPromise ??= this.core.lifecycle === "closed" ? Promise.resolve() : this.runInit();
    return this.initPromise;
  }

  /**
   * Switches the default user: the old user's fetch is cancelled (last identify wins), the server
   * is told (`POST /identify`), and flags are fetched for the new user. Until they arrive the
   * getters serve the new user's cached flags, or defaults: never the previous user's. Resolves
   * once they are applied, or after `initTimeout` with the flags marked stale.
   *
   * For a server answering many users at once, use {@link forUser} instead.
   *
   * @throws RollgateConfigError for a user without a non-empty string `id`, or whose context is too large to send.
   * @throws ClientClosedError after `close()`.
   */
  async identify(user: RollgateUser): Promise<void> {
    await this.changeUser(validateUser(user), "identify()");
  }

  /**
   * Forgets the default user: flags are fetched anonymously. Like Rollgate's Go SDK, the old
   * user's server session is blanked first.
   */
  async reset(): Promise<void> {
    await this.changeUser(undefined, "reset()");
  }

  /**
   * Fetches flags now, for the default user; every `forUser` user's flags are due again too.
   * Resolves when they are applied or the attempt failed (the failure is reported through
   * `events$`, `status$` and the logger, never thrown), and at the latest after `initTimeout` (a
   * server that asked to wait with `Retry-After` is waited for in the background); resolves at
   * once, without network, while the circuit is open. Also restarts polling and streaming
   * stopped by an authentication failure.
   */
  async refresh(): Promise<void> {
    const { core } = this;
    if (core.lifecycle === "closed") return;
    core.users.invalidate();
    await core.waits.settle(core.waits.deadline(), core.fetch("refresh"));
  }

  /** Closes the circuit breaker (and forgets a server's `Retry-After`) by hand and fetches at once. Use with caution. */
  resetCircuit(): void {
    const { core } = this;
    if (core.lifecycle === "closed") return;
    core.breaker.reset();
    core.retryGate.clear();
    // A cycle still waiting out a backoff or Retry-After would delay the fetch asked for now.
    core.scope.cancel();
    if (core.lifecycle === "ready") void core.fetch("refresh");
  }

  /**
   * Stops every timer, request and stream, completes every observable and releases connections.
   * Idempotent. Getters (and `forUser` views) keep answering from the last flags.
   */
  close(): Promise<void> {
    this.closePromise ??= this.core.close();
    return this.closePromise;
  }

  /** `await using client = new RollgateClient(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────

  private async runInit(): Promise<void> {
    const { core } = this;
    core.lifecycle = "initializing";
    core.initStarted = true;
    // One bound for the whole of init; a cache store that hangs delays the network by at most
    // 1 s, and never adds to that bound.
    const deadline = core.waits.deadline();
    await core.loadCache(deadline);
    const outcome = await core.waits.settle(deadline, core.postIdentifyThenFetch(core.scope.user, core.scope.user));
    if (core.isClosed()) return;
    core.lifecycle = "ready";
    // A refused key or an unusable set-up (a bundle that cannot load undici) cannot heal by
    // waiting: init() says so at once instead of serving defaults as if the server were down.
    const failed = outcome?.kind === "failed" ? outcome.failure.error : undefined;
    const authFailure = failed instanceof AuthenticationError || failed instanceof RollgateConfigError ? failed : undefined;
    if (authFailure === undefined) core.startBackground();
    else core.stream.markStopped();
    if (outcome === undefined) core.scope.markUnanswered("The server did not answer within initTimeout; serving cache or defaults.");
    core.status.update();
    const snapshot = core.scope.store.current;
    core.hub.emit({ type: "ready", source: snapshot.source, stale: snapshot.stale });
    if (authFailure !== undefined) throw authFailure;
  }

  private async changeUser(next: RollgateUser | undefined, operation: string): Promise<void> {
    if (this.core.lifecycle === "closed") throw new ClientClosedError(operation);
    const switching = this.switchUser(next);
    this.latestSwitch = switching;
    await switching;
  }

  private async switchUser(next: RollgateUser | undefined): Promise<void> {
    const { core } = this;
    const previous = core.scope.user;
    core.scope.switchUser(next);
    if (core.lifecycle === "ready") core.stream.restart();
    const deadline = core.waits.deadline();
    await core.loadCache(deadline);
    // reset() blanks the previous user's server session, as Rollgate's Go SDK does.
    const sessionUser = next ?? (previous === undefined ? undefined : { id: previous.id });
    const outcome = await core.waits.settle(deadline, core.postIdentifyThenFetch(sessionUser, next));
    if (core.scope.user !== next) {
      // A newer identify superseded this one: resolve when the newest settles (last one wins).
      await this.latestSwitch;
    } else if (outcome === undefined) {
      core.scope.markUnanswered("The server did not answer within initTimeout after the user changed; serving the new user's cached flags or defaults.");
    }
  }
}
