import { BehaviorSubject, debounce, EMPTY, from, switchMap, type Observable, type Subscription } from "rxjs";
import type { Dispatcher } from "undici";
import type { RollgateError } from "../errors";
import type { ResolvedOptions } from "./resolve-options";
import type { CircuitBreaker } from "../resilience/circuit-breaker";
import type { StreamStatusChange } from "../sources/stream-status";
import { asBundlingError } from "../transport/bundling-error";
import type { HttpFlagsTransport } from "../transport/http-flags-transport";
import type { EventHub } from "./event-hub";
import type { StreamConnectionState } from "../model/rollgate-status";
import type { RollgateUser } from "../model/rollgate-user";

export interface StreamControllerDeps {
  readonly options: Pick<ResolvedOptions, "enableStreaming" | "streamUrl" | "apiKey" | "scheduler" | "timeout" | "streamReadTimeout" | "maxPayloadBytes" | "logger">;
  /** Undefined when flags are not served over HTTP (test data): then nothing streams. */
  readonly transport: HttpFlagsTransport | undefined;
  readonly breaker: CircuitBreaker;
  readonly hub: EventHub;
  /** The user the stream is opened for (`user_id`), read at each (re)start. */
  readonly currentUser: () => RollgateUser | undefined;
  /** Fetches the typed snapshot; the stream's events only say when. */
  readonly refetch: () => Promise<unknown>;
  /** The stream stopped (401/403, or a failure retrying cannot help, e.g. 204): the client records the error, and stops polling only on 401/403. */
  readonly onStopped: (error: RollgateError) => void;
}

/**
 * Owns the SSE stream's lifecycle for the client: (re)opens it for the current user (at init,
 * on identify, after an explicit retry), tracks its connection state for `status$` and
 * `events$`, and closes it on `close()`. Does nothing when streaming is off.
 */
export class StreamController {
  private readonly runs = new BehaviorSubject<number | undefined>(undefined);
  private readonly states: BehaviorSubject<StreamConnectionState>;
  private readonly subscription: Subscription;
  /** The connection state, replayed. */
  readonly state$: Observable<StreamConnectionState>;

  constructor(private readonly deps: StreamControllerDeps) {
    this.states = new BehaviorSubject<StreamConnectionState>(deps.options.enableStreaming ? "connecting" : "off");
    this.state$ = this.states.asObservable();
    // Restarts asked for in one turn of the event loop (10,000 identify() calls in a loop) open
    // one connection, for the user of the last call: a microtask, not a timer, so virtual time
    // needs no advancing.
    const settled = () => from(Promise.resolve());
    this.subscription = this.runs.pipe(debounce(settled), switchMap((run) => (run === undefined ? EMPTY : this.open()))).subscribe({
      error: (error: unknown) => deps.options.logger.error("Streaming stopped unexpectedly.", { error: String(error) }),
    });
  }

  get state(): StreamConnectionState {
    return this.states.value;
  }

  /** Opens the stream, or re-opens it for the user of this moment. */
  restart(): void {
    if (this.deps.options.enableStreaming && this.deps.transport !== undefined && !this.states.isStopped) this.runs.next((this.runs.value ?? 0) + 1);
  }

  /** Closes the stream, if open, and reports it stopped until `restart()` (the key was refused). */
  markStopped(): void {
    if (!this.deps.options.enableStreaming || this.states.isStopped) return;
    if (this.runs.value !== undefined) this.runs.next(undefined);
    if (this.states.value === "stopped") return;
    this.states.next("stopped");
    this.deps.hub.emit({ type: "stream-status", status: "stopped" });
  }

  close(): void {
    this.subscription.unsubscribe();
    this.runs.complete();
    this.states.complete();
  }

  private open(): Observable<never> {
    const transport = this.deps.transport;
    if (transport === undefined) return EMPTY;
    const { streamUrl, apiKey } = this.deps.options;
    const query = new URLSearchParams({ token: apiKey });
    const user = this.deps.currentUser();
    if (user !== undefined) query.set("user_id", user.id);
    // The SSE stack (eventsource, reconnection, the stream's parsing) is loaded on first use: a
    // client without enableStreaming never imports it, which shortens its cold start.
    const url = `${streamUrl}/api/v1/sdk/stream?${query.toString()}`;
    const loading = import("./flag-stream").catch((error: unknown) => {
      throw asBundlingError(error);
    });
    return from(Promise.all([loading, transport.dispatcher()])).pipe(
      switchMap(([{ flagStream }, dispatcher]) => this.flagStream(flagStream, url, transport, dispatcher)),
    );
  }

  private flagStream(open: typeof import("./flag-stream").flagStream, url: string, transport: HttpFlagsTransport, dispatcher: Dispatcher): Observable<never> {
    const { scheduler, timeout, streamReadTimeout, maxPayloadBytes, logger } = this.deps.options;
    return open({
      url,
      headers: transport.streamHeaders,
      dispatcher,
      scheduler,
      breaker: this.deps.breaker,
      connectTimeout: timeout,
      readTimeout: streamReadTimeout,
      maxEventBytes: maxPayloadBytes,
      logger,
      refetch: this.deps.refetch,
      onStatus: (change) => this.onStatus(change),
    });
  }

  private onStatus(change: StreamStatusChange): void {
    const { logger } = this.deps.options;
    if (change.status === "stopped") {
      const polling = change.error.code === "AUTH_FAILED" ? "" : " Polling carries on; identify() reopens the stream.";
      logger.error(`Streaming stopped: ${change.error.message}${polling}`, { code: change.error.code });
      this.deps.onStopped(change.error);
    } else if (change.status === "backing-off" && this.states.value === "open") {
      logger.warn(`The flag stream dropped (${change.error.message}); reconnecting with backoff, polling meanwhile.`, { code: change.error.code });
    }
    if (this.states.value === change.status) return;
    this.states.next(change.status);
    this.deps.hub.emit(
      change.status === "backing-off" || change.status === "stopped"
        ? { type: "stream-status", status: change.status, error: change.error }
        : { type: "stream-status", status: change.status },
    );
  }
}
