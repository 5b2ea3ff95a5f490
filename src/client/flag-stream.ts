import { filter, ignoreElements, merge, Observable, share, type SchedulerLike } from "rxjs";
import type { Dispatcher } from "undici";
import type { Logger } from "../logger/logger";
import type { CircuitBreaker } from "../resilience/circuit-breaker";
import { coalesceRefetch } from "../sources/coalesce-refetch";
import { openSseConnection } from "../sources/sse-connection";
import type { SseEventSignal } from "../sources/sse-signal";
import { reconnectingStream, type StreamOutput } from "../sources/stream-reconnect";
import type { StreamStatusChange } from "../sources/stream-status";

/** Events that mean "flags may have changed for you": each one triggers a refetch (PROTOCOL.md §4.3). */
const INVALIDATING_EVENTS: ReadonlySet<string> = new Set(["init", "flags", "flag-changed", "flag-update"]);

export interface FlagStreamDeps {
  /** The stream URL with `token` and `user_id`, computed when the stream (re)starts. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly dispatcher: Dispatcher;
  readonly scheduler: SchedulerLike;
  readonly breaker: CircuitBreaker;
  /** Seconds to wait for the server to open the stream. */
  readonly connectTimeout: number;
  /** Seconds of silence after which the stream is replaced. */
  readonly readTimeout: number;
  /** The most bytes one event or line may hold (the client's `maxPayloadBytes`); past it the connection fails and backs off. */
  readonly maxEventBytes: number;
  readonly logger: Logger;
  /** Fetches the full typed snapshot over HTTP; resolves when it is applied or failed. */
  readonly refetch: () => Promise<unknown>;
  readonly onStatus: (status: StreamStatusChange) => void;
}

/**
 * The streaming source: an SSE connection kept open by `reconnectingStream` (backoff, read
 * timeout, breaker gate, stop on 401/403) whose events are only invalidation signals. Every
 * event, and every (re)connection, asks for a refetch of the typed snapshot; signals coalesce
 * so that at most one fetch is in flight and one queued, whatever the burst.
 *
 * The observable never emits; subscribe to run it, unsubscribe to close the connection.
 */
export function flagStream(deps: FlagStreamDeps): Observable<never> {
  const { scheduler, logger } = deps;
  let warnedRulesFull = false;
  const output$ = reconnectingStream(
    () =>
      openSseConnection({
        url: deps.url,
        headers: deps.headers,
        dispatcher: deps.dispatcher,
        connectTimeoutMs: deps.connectTimeout * 1000,
        maxEventBytes: deps.maxEventBytes,
        scheduler,
      }),
    {
      scheduler,
      gate: (work) => deps.breaker.guard(work),
      readTimeout: deps.readTimeout * 1000,
      onStatus: deps.onStatus,
    },
  ).pipe(share());

  const signals$ = output$.pipe(
    filter((output: StreamOutput) => {
      if (output.type === "status") return output.status === "open";
      if (INVALIDATING_EVENTS.has(output.event)) return true;
      if (output.event === "rules-full" && !warnedRulesFull) {
        warnedRulesFull = true;
        logger.warn("The stream sent a rules-full event, which rollgate does not support yet; ignoring it (flags stay current through refetches).");
      }
      return false;
    }),
  );

  return merge(
    output$.pipe(ignoreElements()),
    coalesceRefetch<StreamOutput | SseEventSignal, unknown>(signals$, () => deps.refetch()).pipe(ignoreElements()),
  );
}
