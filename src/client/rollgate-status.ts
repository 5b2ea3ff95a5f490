import type { RollgateError } from "../errors";
import type { FlagSource } from "../snapshot/flag-snapshot";
import type { CircuitState } from "./rollgate-event";

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
}
