import type { EventsDropReason, RollgateEvent } from "../model/rollgate-event";
import type { Logger } from "../logger/logger";
import type { RollgateError } from "../errors";
import type { InvalidEvent } from "./to-conversion-event";

/** What an {@link EventTally} tells through: the sender's logger and event sink, and its queue bound (for the warning). */
export interface EventTallyDeps {
  readonly logger: Logger;
  /** Receives `events-dropped` events. */
  readonly emit: (event: RollgateEvent) => void;
  readonly maxQueue: number;
  readonly maxQueueBytes: number;
}

/**
 * What the event sender tells about the events it was given: the counts of
 * `getStatus().events` (sent, dropped, invalid), an `events-dropped` event for each loss, and
 * its warnings, each said once: once per kind of faulty input, once per outage for the unsent
 * batches and the full queue (a delivered batch ends the outage). The sender decides what
 * happens to events; this only counts and says it.
 *
 * @example
 * const tally = new EventTally({ logger, emit, maxQueue: 10_000, maxQueueBytes: 8 * 1024 * 1024 });
 * tally.countDropped(3, "rejected"); // emits { type: "events-dropped", count: 3, reason: "rejected" }
 */
export class EventTally {
  private sentCount = 0;
  private droppedCount = 0;
  private invalidCount = 0;
  private unsentWarned = false;
  private queueFullWarned = false;
  private readonly warnings = new Set<string>();

  constructor(private readonly deps: EventTallyDeps) {}

  /** The counts since the start, for `getStatus().events`. */
  counts(): { readonly sent: number; readonly dropped: number; readonly invalid: number } {
    return { sent: this.sentCount, dropped: this.droppedCount, invalid: this.invalidCount };
  }

  /** A batch was delivered: counted, and the outage (if any) is over, so its warnings may come again. */
  countSent(count: number): void {
    this.sentCount += count;
    this.unsentWarned = false;
    this.queueFullWarned = false;
  }

  /** Events given up for good, and why. */
  countDropped(count: number, reason: EventsDropReason): void {
    if (count === 0) return;
    this.droppedCount += count;
    this.deps.emit({ type: "events-dropped", count, reason });
  }

  /** `track()` refused an event: counted, with one warning per faulty field (one for all unreadable input). */
  countInvalid(event: InvalidEvent): void {
    this.invalidCount += 1;
    const further = "Further events with this problem are dropped silently (counted in getStatus().events.invalid).";
    if (event.unreadable === true) {
      this.warnOnce("unreadable", `track() dropped an event that could not be read: reading one of its fields threw (a getter or a Proxy). ${further}`);
    } else {
      this.warnOnce(`invalid-${event.field}`, `track() dropped an event: expected ${event.field === "event" ? "the event to be" : `${event.field} to be`} ${event.expected}. ${further}`);
    }
    this.deps.emit({ type: "events-dropped", count: 1, reason: "invalid" });
  }

  /** The full queue dropped its oldest events: counted, with one warning per outage. */
  countQueueFull(dropped: number): void {
    if (!this.queueFullWarned) {
      this.queueFullWarned = true;
      this.deps.logger.warn(
        `The conversion events queue is full (events.maxQueue = ${this.deps.maxQueue} events, events.maxQueueBytes = ${this.deps.maxQueueBytes} bytes) while Rollgate cannot be reached: the oldest events are being dropped (counted in getStatus().events.dropped).`,
      );
    }
    this.countDropped(dropped, "queue-full");
  }

  /** A batch could not be delivered and stays queued: one message per outage (debug while the circuit is open, else a warning). */
  warnUnsent(error: RollgateError): void {
    if (this.unsentWarned) return;
    this.unsentWarned = true;
    const level = error.code === "CIRCUIT_OPEN" ? "debug" : "warn";
    this.deps.logger[level](`Could not send conversion events; they stay queued (up to events.maxQueue and events.maxQueueBytes) and are sent again at the next flush. ${error.message}`, { code: error.code });
  }

  /** Warns once for `key`, for the sender's life. */
  warnOnce(key: string, message: string): void {
    if (this.warnings.has(key)) return;
    this.warnings.add(key);
    this.deps.logger.warn(message);
  }
}
