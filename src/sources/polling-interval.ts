import type { StreamConnectionState } from "../client/rollgate-status";

/** PROTOCOL.md §4.3: while the stream is down and polling is off, poll at this pace anyway. */
export const STREAM_FALLBACK_POLL_SECONDS = 30;

/**
 * How often to poll, in seconds (0: not at all). Polling runs at `refreshInterval` without
 * streaming, pauses while the stream is open, and covers for it while it is down so that flags
 * never freeze (at 30 s if `refreshInterval` is 0). Nothing polls while background work is
 * stopped (before init, after an authentication failure).
 *
 * @example
 * pollingInterval(true, "backing-off", 0); // 30
 */
export function pollingInterval(wanted: boolean, stream: StreamConnectionState, refreshInterval: number): number {
  if (!wanted) return 0;
  if (stream === "off") return refreshInterval;
  if (stream === "open") return 0;
  return refreshInterval > 0 ? refreshInterval : STREAM_FALLBACK_POLL_SECONDS;
}
