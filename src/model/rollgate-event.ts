import type { JsonValue } from "./flag-model";
import type { RollgateError } from "../errors";
import type { FlagSource } from "./flag-snapshot";
import type { StreamConnectionState } from "./rollgate-status";

/**
 * Everything the client reports, as one typed union on `events$` (and `on(type, fn)`).
 *
 * @example
 * client.on("flag-changed", (e) => log(`${e.key}: ${String(e.previousValue)} -> ${String(e.value)}`));
 */
export type RollgateEvent =
  /** `init()` finished: flags come from `source`. */
  | { readonly type: "ready"; readonly source: FlagSource; readonly stale: boolean }
  /** A new snapshot was applied; `changedKeys` lists the flags whose served value changed. */
  | { readonly type: "flags-updated"; readonly source: FlagSource; readonly changedKeys: readonly string[] }
  /** One flag's served value changed (`undefined`: the flag serves nothing, defaults apply). */
  | { readonly type: "flag-changed"; readonly key: string; readonly value: JsonValue | undefined; readonly previousValue: JsonValue | undefined }
  /** A fetch, stream or cache operation failed; the client keeps serving its last flags. */
  | { readonly type: "error"; readonly error: RollgateError }
  /** The flags being served may be out of date, and why. */
  | { readonly type: "stale"; readonly reason: string }
  /** The SSE stream's connection changed state (`error` says why it is backing off or stopped). */
  | { readonly type: "stream-status"; readonly status: StreamConnectionState; readonly error?: RollgateError }
  /** A batch of conversion events from `track()` was delivered; `queued` are still waiting. */
  | { readonly type: "events-sent"; readonly count: number; readonly queued: number }
  /** Conversion events were given up for good, and why (see {@link EventsDropReason}). */
  | { readonly type: "events-dropped"; readonly count: number; readonly reason: EventsDropReason }
  /** A period of evaluation counters was delivered: `evaluations` counted over `periodMs`. */
  | { readonly type: "telemetry-sent"; readonly evaluations: number; readonly periodMs: number }
  /** Evaluation counters were given up for good: the server refused them, or the client closed before they could be sent. */
  | { readonly type: "telemetry-dropped"; readonly evaluations: number; readonly reason: Exclude<EventsDropReason, "invalid" | "queue-full"> }
  | { readonly type: "circuit-open" }
  | { readonly type: "circuit-half-open" }
  | { readonly type: "circuit-closed" };

/**
 * Why conversion events were dropped: `invalid` (`track()` input refused, with one warning per
 * field), `queue-full` (the oldest queued event made room for a new one while Rollgate was
 * unreachable), `rejected` (the server answered a 4xx other than 401/403/408/429: it can never
 * succeed), `unauthorized` (401/403: sending stopped for good), `closed` (still unsent when
 * `close()` gave up, or tracked after it).
 */
export type EventsDropReason = "invalid" | "queue-full" | "rejected" | "unauthorized" | "closed";

/** The `type` of every event. */
export type RollgateEventType = RollgateEvent["type"];

/** The event of a given type. */
export type RollgateEventOf<T extends RollgateEventType> = Extract<RollgateEvent, { type: T }>;
