/**
 * What one SSE connection reports, in order: `open` once the server has answered with an
 * event stream, then `event`s, with `activity` whenever any bytes arrive.
 *
 * - `open`: the response was 200 with `Content-Type: text/event-stream` (PROTOCOL.md §2.1).
 * - `event`: one dispatched SSE event; `event` is its name (`message` when the server sent
 *   none), `data` its raw, unparsed data (validation belongs to whoever reads it).
 * - `activity`: some bytes arrived. The `eventsource` package hides `:` comment lines, so this
 *   is the only way a heartbeat can prove the connection alive (see `readTimeout` in
 *   `reconnectingStream`). It precedes the events parsed from the same bytes.
 *
 * @example
 * openSseConnection({ url, headers }).subscribe((signal) => {
 *   if (signal.type === "event") handle(signal.event, signal.data);
 * });
 */
export type SseSignal = SseOpenSignal | SseEventSignal | SseActivitySignal;

/** The server accepted the connection and started an event stream. */
export interface SseOpenSignal {
  readonly type: "open";
}

/** One SSE event, exactly as dispatched by the SSE parser. */
export interface SseEventSignal {
  readonly type: "event";
  /** The `event:` field, or `message` when absent (SSE spec). */
  readonly event: string;
  /** The `data:` field(s), joined with newlines by the parser; raw text, not parsed. */
  readonly data: string;
}

/** Bytes arrived on the connection: events, heartbeats or comments alike. */
export interface SseActivitySignal {
  readonly type: "activity";
}
