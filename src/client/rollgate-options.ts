import type { SchedulerLike } from "rxjs";
import type { Dispatcher } from "undici";
import type { LoggerLike } from "../logger/adapt-logger";
import type { LogFormat } from "../logger/log-format";
import type { RollgateUser } from "../model/rollgate-user";
import type { CacheOptions } from "../cache/cache-options";
import type { CircuitBreakerOptions } from "../resilience/circuit-breaker-options";
import type { RetryOptions } from "../resilience/retry-options";
import type { UsersOptions } from "../scope/users-options";
import type { EventsOptions } from "../events/event-options";
import type { TelemetryOptions } from "../telemetry/telemetry-options";
import type { TestDataSource } from "../transport/test-data-source";
import type { EvaluationHook } from "../model/evaluation-hook";

/**
 * Options of `new RollgateClient(options)`. Durations are in **seconds** (fractions allowed),
 * as in the Rollgate SDKs' documentation.
 *
 * @example
 * new RollgateClient({ apiKey: process.env.ROLLGATE_API_KEY!, refreshInterval: 60, enableStreaming: true });
 */
export interface RollgateOptions {
  /** Server API key (`rg_server_...`): printable ASCII or Latin-1, no whitespace. Required. Never logged. */
  readonly apiKey: string;
  /**
   * Rollgate API base URL, without credentials (`user:pass@` is rejected).
   * @default "https://api.rollgate.io"
   */
  readonly baseUrl?: string;
  /**
   * Base URL for the SSE stream only (e.g. to bypass a CDN). Defaults to `baseUrl`.
   */
  readonly streamUrl?: string;
  /**
   * Polling interval in seconds, `0` or 0.5 to 86400; `0` disables polling. While a stream is connected polling
   * pauses; while it is down polling runs (at 30 s if this is 0) so flags never freeze.
   * @default 30
   */
  readonly refreshInterval?: number;
  /**
   * Receive changes over Server-Sent Events.
   * @default false
   */
  readonly enableStreaming?: boolean;
  /**
   * Per-attempt request timeout in seconds, 0.01 to 600.
   * @default 5
   */
  readonly timeout?: number;
  /**
   * Longest time `init()` and `identify()` wait for the server, in seconds (0.01 to 600). When it passes they
   * resolve anyway, serving cache or defaults marked stale, and fetching goes on in the background.
   * @default 10
   */
  readonly initTimeout?: number;
  /**
   * A stream silent (no event, no heartbeat) for this many seconds (1 to 86400) is treated as dead and replaced.
   * @default 300
   */
  readonly streamReadTimeout?: number;
  /** The user to evaluate flags for from the start; `identify()` changes it later. */
  readonly user?: RollgateUser;
  /**
   * Largest response body accepted, in bytes. A larger body is rejected as a whole (`PayloadError`)
   * and the last good flags stay, marked stale. The default holds about 130,000 flags.
   * @default 16777216 (16 MiB)
   */
  readonly maxPayloadBytes?: number;
  /**
   * Receives the client's messages: pino, bunyan, winston, `console` or any object with
   * `debug`/`info`/`warn`/`error(message, context)` (see `adaptLogger`). A logger that throws is
   * contained. Defaults to a quiet logger that writes warnings and errors to stderr.
   */
  readonly logger?: LoggerLike;
  /**
   * The default logger's format (not allowed together with `logger`): `"pretty"`, human lines
   * with warnings and errors, or `"json"`, one JSON object per line with info and above.
   * @default "pretty"
   */
  readonly logFormat?: LogFormat;
  /**
   * The RxJS scheduler every timer runs on (polling, backoff, breaker, timeouts). Tests pass a
   * `VirtualTimeScheduler` or `TestScheduler`. Every age and deadline (freshness, idle users,
   * `Retry-After`, backoff, the breaker) is read from its `now()`: the default's is monotonic, so
   * setting the wall clock changes none of them.
   * @default asyncScheduler's timers with a monotonic now() (`performance.timeOrigin + performance.now()`)
   */
  readonly scheduler?: SchedulerLike;
  /**
   * An undici `Dispatcher` (e.g. a `ProxyAgent`) for every request and the stream. By default the
   * client creates its own keep-alive `Agent` and closes it in `close()`; a dispatcher you pass is
   * yours to close.
   */
  readonly dispatcher?: Dispatcher;
  /**
   * Most flags requests in flight at once, and the size of the client's connection pool for
   * them (1 to 1024). Further requests wait in the client for a free connection, served callers
   * first, and their `timeout` starts only when they are sent. Size it for per-request load:
   * connections ≈ new users per second × latency (300 new users/s at 150 ms is 45). With your own
   * `dispatcher`, give it at least this many connections.
   * @default 64
   */
  readonly connections?: number;
  /**
   * Retries of a failed request within one fetch (network, timeout, 408, 429, 5xx): exponential
   * backoff with full jitter, never earlier than a `Retry-After`.
   * @default { maxRetries: 3, baseDelay: 0.1, maxDelay: 10 }
   */
  readonly retry?: RetryOptions;
  /**
   * The circuit breaker: after `failureThreshold` consecutive failed attempts no request leaves
   * the process for `resetTimeout` seconds; then one probe decides.
   * @default { failureThreshold: 5, resetTimeout: 30 }
   */
  readonly circuitBreaker?: CircuitBreakerOptions;
  /**
   * The persistent cache of the last good flags, so a restart while Rollgate is unreachable still
   * serves them. `false` turns it off.
   * @default { ttl: 300, maxAge: 86400 } in a file store under `$XDG_CACHE_HOME/rollgate` or `~/.cache/rollgate`
   */
  readonly cache?: false | CacheOptions;
  /**
   * The per-request users of `client.forUser(user)`: how many are kept in memory, for how long,
   * and whether their flags are also persisted.
   * @default { maxUsers: 1000, idleTimeout: 600, persist: false }
   */
  readonly users?: UsersOptions;
  /**
   * Conversion events from `track()`: batched, kept in a bounded queue while Rollgate is
   * unreachable, sent in order. `false` turns them off.
   * @default { flushInterval: 30, maxBatch: 100, maxQueue: 10000, maxQueueBytes: 8388608 }
   */
  readonly events?: false | EventsOptions;
  /**
   * Evaluation telemetry: per-flag counts of what the getters served, sent periodically.
   * `false` turns it off.
   * @default { flushInterval: 60 }
   */
  readonly telemetry?: false | TelemetryOptions;
  /**
   * Serve flags from a `TestData` (`rollgate/testing`) in this process instead of a server, for
   * unit tests: no socket, no timer. `baseUrl`, `streamUrl`, `dispatcher` and `maxPayloadBytes`
   * are unused; streaming and polling are off, and so is the persistent cache unless `cache` is
   * given (changes made through the `TestData` reach the client as a stream's would).
   */
  readonly testData?: TestDataSource;
  /**
   * Evaluation hooks, run around every evaluation of the client and of every `forUser` view, in
   * this order (`afterEvaluation` in reverse). More can be added with `client.addHook(hook)`.
   * See `EvaluationHook`; `rollgate/otel` has an OpenTelemetry one.
   * @default []
   */
  readonly hooks?: readonly EvaluationHook[];
}
