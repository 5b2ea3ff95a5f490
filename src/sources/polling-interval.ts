import type { StreamConnectionState } from "../model/rollgate-status";

/** PROTOCOL.md §4.3: while the stream is down and polling is off, poll at this pace anyway. */
export const STREAM_FALLBACK_POLL_SECONDS = 30;

/**
 * While the stream is open, one conditional poll every this many seconds (or `refreshInterval`
 * if longer) vouches for the flags: a stream that only sends heartbeats proves the connection,
 * not the flags, and a missed or unparseable event would otherwise go unnoticed for good. With
 * an ETag the poll costs a 304.
 */
export const STREAM_VERIFY_POLL_SECONDS = 300;

/**
 * How often to poll, in seconds (0: not at all). Polling runs at `refreshInterval` without
 * streaming, slows to a verification poll while the stream is open, and covers for it while it
 * is down so that flags never freeze (at 30 s if `refreshInterval` is 0). Nothing polls while
 * background work is stopped (before init, after an authentication failure).
 *
 * @example
 * pollingInterval(true, "backing-off", 0); // 30
 */
export function pollingInterval(wanted: boolean, stream: StreamConnectionState, refreshInterval: number): number {
  if (!wanted) return 0;
  if (stream === "off") return refreshInterval;
  if (stream === "open") return Math.max(refreshInterval, STREAM_VERIFY_POLL_SECONDS);
  return refreshInterval > 0 ? refreshInterval : STREAM_FALLBACK_POLL_SECONDS;
}
