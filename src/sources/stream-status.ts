import type { RollgateError } from "../errors";

/**
 * The state of the streaming connection.
 *
 * - `connecting`: a connection attempt is under way (or waiting for the circuit breaker).
 * - `open`: the server is streaming events.
 * - `backing-off`: the last attempt or connection failed; the next one starts after a delay.
 * - `stopped`: streaming gave up for good (401/403: a wrong key cannot heal, PROTOCOL.md §4.3).
 */
export type StreamStatus = "connecting" | "open" | "backing-off" | "stopped";

/**
 * One change of the streaming connection's state, with what a client needs to report it.
 *
 * `attempt` counts connection attempts since the backoff last reset (1 for the first), so a
 * healthy stream reads `connecting 1 → open 1`, and a flapping one climbs.
 *
 * @example
 * stream$.subscribe((output) => {
 *   if (output.type === "status" && output.status === "backing-off") {
 *     logger.warn(`stream down, retrying in ${output.delayMs} ms`, { code: output.error.code });
 *   }
 * });
 */
export type StreamStatusChange =
  | StreamConnectingStatus
  | StreamOpenStatus
  | StreamBackingOffStatus
  | StreamStoppedStatus;

/** A connection attempt started. */
export interface StreamConnectingStatus {
  readonly type: "status";
  readonly status: "connecting";
  /** 1-based attempt number since the backoff last reset. */
  readonly attempt: number;
}

/** The server accepted the connection and is streaming. */
export interface StreamOpenStatus {
  readonly type: "status";
  readonly status: "open";
  /** The attempt that succeeded (1-based, since the backoff last reset). */
  readonly attempt: number;
}

/** The attempt or the connection failed; the next attempt starts after `delayMs`. */
export interface StreamBackingOffStatus {
  readonly type: "status";
  readonly status: "backing-off";
  /** The attempt that just failed (1-based, since the backoff last reset). */
  readonly attempt: number;
  /** Milliseconds until the next attempt (backoff with jitter, or the server's `Retry-After`). */
  readonly delayMs: number;
  /** Why: e.g. `NetworkError`, `ServerError`, `TimeoutError`, `CircuitOpenError`. */
  readonly error: RollgateError;
}

/** Streaming stopped for good; no further attempt will be made by this stream. */
export interface StreamStoppedStatus {
  readonly type: "status";
  readonly status: "stopped";
  /** Why, e.g. an `AuthenticationError` for 401/403. */
  readonly error: RollgateError;
}
