import type { RollgateError } from "../errors";
import type { FlagSource } from "./flag-snapshot";

/** The circuit breaker's state, as the seed names it. */
export type CircuitState = "closed" | "open" | "half-open";

/** The stream's connection state, or `off` when streaming is not enabled. */
export type StreamConnectionState = "off" | "connecting" | "open" | "backing-off" | "stopped";

/**
 * The client's health, for `/health` routes and dashboards.
 *
 * @example
 * const { circuit, source, stale } = client.getStatus();
 * res.json({ status: circuit === "closed" && !stale ? "healthy" : "degraded", circuit, flags_source: source });
 */
export interface RollgateStatus {
  /** `init()` has settled (with server flags, cache or defaults). */
  readonly ready: boolean;
  /** The flags served may be out of date. */
  readonly stale: boolean;
  /** Why they may be, while `stale` is true: e.g. the server is unreachable or the circuit is open. */
  readonly staleReason: string | undefined;
  /** Where the served flags came from. */
  readonly source: FlagSource;
  /** When the served flags were last confirmed by the server (or saved to the cache). */
  readonly lastUpdated: Date | undefined;
  /** The last failure, cleared by the next success. */
  readonly lastError: RollgateError | undefined;
  readonly circuit: CircuitState;
  readonly stream: StreamConnectionState;
  /** `close()` was called. */
  readonly closed: boolean;
  /** Conversion events from `track()`: queued, sent, dropped; undefined with `events: false`. */
  readonly events: EventsStatus | undefined;
  /** Evaluation telemetry: pending and sent counts; undefined with `telemetry: false`. */
  readonly telemetry: TelemetryStatus | undefined;
  /**
   * Per-request users (`forUser`) under load: whether more than `users.maxPending` of their
   * flags requests are pending (new users then get defaults at once, stale, "overloaded") and how
   * many calls were answered that way since the client started.
   */
  readonly users: UsersStatus;
  /** Evaluation hooks: how many are registered, and how many of their calls threw. */
  readonly hooks: HooksStatus;
}

/**
 * Conversion events from `track()`, counted since the client started (`getStatus().events`).
 *
 * @example
 * const { queued, dropped } = client.getStatus().events ?? { queued: 0, dropped: 0 };
 */
export interface EventsStatus {
  /** Waiting to be sent, the batch in flight included. */
  readonly queued: number;
  /** Delivered (the server answered 2xx). */
  readonly sent: number;
  /** Given up for good (queue full, refused by the server, unsent at close). */
  readonly dropped: number;
  /** Refused by `track()` itself: invalid input, never queued. */
  readonly invalid: number;
  /** Sending stopped for good after the server refused the key (401/403). */
  readonly stopped: boolean;
}

/**
 * Evaluation telemetry, counted since the client started (`getStatus().telemetry`).
 *
 * @example
 * client.getStatus().telemetry?.pendingEvaluations; // evaluations not yet sent
 */
export interface TelemetryStatus {
  /** Evaluations counted and not yet delivered (failed periods are merged into the current one). */
  readonly pendingEvaluations: number;
  /** Periods delivered. */
  readonly sentPeriods: number;
  /** Evaluations delivered. */
  readonly sentEvaluations: number;
  /** Evaluations given up for good (refused by the server, or unsent at close). */
  readonly droppedEvaluations: number;
  /** Sending stopped for good after the server refused the key (401/403). */
  readonly stopped: boolean;
}

/**
 * Per-request users under load (`getStatus().users`).
 *
 * @example
 * const { overloaded, shed } = client.getStatus().users;
 */
export interface UsersStatus {
  /** More than `users.maxPending` users' flags requests were pending when a user had to wait (until half drained). */
  readonly overloaded: boolean;
  /** `forUser` calls answered at once, without waiting for the server, because of overload (since the client started). */
  readonly shed: number;
}

/**
 * Evaluation hooks (`hooks` option, `addHook`), as `getStatus().hooks`.
 *
 * @example
 * if (client.getStatus().hooks.errors > 0) alert("an evaluation hook is failing");
 */
export interface HooksStatus {
  /** Hooks registered now. */
  readonly registered: number;
  /** Hook calls (either stage) that threw since the client started; each was ignored. */
  readonly errors: number;
}
