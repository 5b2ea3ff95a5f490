import * as z from "zod/mini";
import { DURATION_BOUNDS, durationSchema } from "../options/duration-schema";

/**
 * How conversion events from `track()` are batched and kept (PROTOCOL.md §1.5). `events: false`
 * turns `track()` into a no-op and sends nothing.
 *
 * @example
 * new RollgateClient({ apiKey, events: { flushInterval: 10, maxBatch: 500 } });
 */
export interface EventsOptions {
  /**
   * Seconds between two sends of the queued events.
   * @default 30
   */
  readonly flushInterval?: number;
  /**
   * Events per request; a queue reaching this many is sent at once, without waiting for the
   * interval. An integer from 1 to 10,000. A request is also bounded in bytes: at most 512 KiB
   * (`MAX_EVENTS_BODY_BYTES`), so a batch of large events holds fewer.
   * @default 100
   */
  readonly maxBatch?: number;
  /**
   * Events kept while Rollgate cannot be reached. When full, the oldest event is dropped (and
   * counted) for each new one. An integer from 1 to 1,000,000, at least `maxBatch`.
   * @default 10000
   */
  readonly maxQueue?: number;
  /**
   * Bytes of events kept while Rollgate cannot be reached (each counted as sent: its JSON, UTF-8),
   * so that large metadata cannot fill memory: at 10,000 events of 8 KiB metadata the count alone
   * would keep about 85 MB. When full, the oldest events are dropped (and counted) to make room.
   * An integer from 65,536 (64 KiB) to 1,073,741,824 (1 GiB).
   * @default 8388608 (8 MiB)
   */
  readonly maxQueueBytes?: number;
}

/**
 * The largest events request body rollgate sends, in bytes: 512 KiB. The local server (like
 * nginx's default `client_max_body_size`) refuses bodies over 1 MiB with 413; Rollgate's API
 * documents no limit (its reference server and official SDKs set none), so half of the tightest
 * one known leaves room. A batch holds at most `maxBatch` events and at most this many bytes;
 * should a server still answer 413, the batch is split (see `EventSender`).
 */
export const MAX_EVENTS_BODY_BYTES = 512 * 1024;

/** {@link EventsOptions} with every default applied. */
export type ResolvedEventsOptions = Readonly<Required<EventsOptions>>;

/**
 * The defaults of {@link EventsOptions}: the official SDKs' interval and batch size (§5.1), and
 * a queue that holds about five minutes of a busy service's conversions, and at most 8 MiB of them.
 *
 * @example
 * const interval = options.events?.flushInterval ?? DEFAULT_EVENTS_OPTIONS.flushInterval;
 */
export const DEFAULT_EVENTS_OPTIONS: ResolvedEventsOptions = Object.freeze({
  flushInterval: 30,
  maxBatch: 100,
  maxQueue: 10_000,
  maxQueueBytes: 8 * 1024 * 1024,
});

/**
 * Validates the `events` option: `false`, or {@link EventsOptions}. Unknown keys are rejected
 * so that a typo is reported, not ignored.
 *
 * @example
 * eventsOptionSchema.safeParse({ maxBatch: 0 }, IN_ENGLISH).success; // false
 */
export const eventsOptionSchema = z.optional(
  z.union(
    [
      z.literal(false),
      z
        .strictObject({
          flushInterval: z.optional(durationSchema("an events flush interval", DURATION_BOUNDS.eventsFlushInterval)),
          maxBatch: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
          maxQueue: z.optional(z.int().check(z.minimum(1), z.maximum(1_000_000))),
          maxQueueBytes: z.optional(z.int().check(z.minimum(64 * 1024), z.maximum(1024 * 1024 * 1024))),
        })
        .check(
          z.refine((o) => (o.maxQueue ?? DEFAULT_EVENTS_OPTIONS.maxQueue) >= (o.maxBatch ?? DEFAULT_EVENTS_OPTIONS.maxBatch), {
            message: "expected maxQueue to be at least maxBatch",
            path: ["maxQueue"],
          }),
        ),
    ],
    { error: "expected false or { flushInterval?, maxBatch?, maxQueue?, maxQueueBytes? }" },
  ),
);

/**
 * Applies {@link DEFAULT_EVENTS_OPTIONS} to the (already validated) `events` option; `false`
 * stays `false`.
 *
 * @example
 * resolveEventsOptions(undefined); // { flushInterval: 30, maxBatch: 100, maxQueue: 10000, maxQueueBytes: 8388608 }
 */
export function resolveEventsOptions(options: false | EventsOptions | undefined): ResolvedEventsOptions | false {
  if (options === false) return false;
  return Object.freeze({
    flushInterval: options?.flushInterval ?? DEFAULT_EVENTS_OPTIONS.flushInterval,
    maxBatch: options?.maxBatch ?? DEFAULT_EVENTS_OPTIONS.maxBatch,
    maxQueue: options?.maxQueue ?? DEFAULT_EVENTS_OPTIONS.maxQueue,
    maxQueueBytes: options?.maxQueueBytes ?? DEFAULT_EVENTS_OPTIONS.maxQueueBytes,
  });
}
