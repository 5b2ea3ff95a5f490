import { firstValueFrom, from, lastValueFrom, map, race, Subject, takeUntil, timer, type Subscription } from "rxjs";
import type { CircuitBreaker } from "../resilience/circuit-breaker";
import type { RollgateEvent } from "../model/rollgate-event";
import type { EventsStatus } from "../model/rollgate-status";
import { classifyDeliveryFailure } from "../delivery/delivery-failure";
import { RequestError } from "../errors";
import { gatedRequest } from "../delivery/gated-request";
import type { Logger } from "../logger/logger";
import type { RequestPolicyOptions } from "../resilience/resilient-request";
import type { ConversionEvent } from "../transport/delivery-bodies";
import type { FlagsTransport } from "../transport/flags-transport";
import { MAX_EVENTS_BODY_BYTES, type ResolvedEventsOptions } from "./event-options";
import { EventQueue } from "./event-queue";
import { EventTally } from "./event-tally";
import { isInvalidEvent, toConversionEvent, type SizedEvent } from "./to-conversion-event";

/** What an {@link EventSender} is built from: narrow ports, shared with the rest of the client. */
export interface EventSenderDeps {
  readonly options: ResolvedEventsOptions;
  readonly transport: Pick<FlagsTransport, "postEvents">;
  /** Gates every request (read only; see `gatedRequest`). */
  readonly breaker: Pick<CircuitBreaker, "getState" | "gate" | "guard">;
  /** `timeout` bounds each attempt and the whole of `close()`; `retry` and `scheduler` as for flags. */
  readonly requestOptions: RequestPolicyOptions;
  readonly logger: Logger;
  /** Receives `events-sent`, `events-dropped` and `error` events (for `events$`; a good moment to refresh the status). */
  readonly emit: (event: RollgateEvent) => void;
}

/** The sentinel a send resolves to when it was cancelled by `close()`. */
const CANCELLED: unique symbol = Symbol("cancelled");

/** The bytes of `{"events":[` and `]}` around a batch's events. */
const BODY_WRAPPER_BYTES = '{"events":[]}'.length;

/** Each event's bytes in a batch body, with the comma before it. */
const weigh = (item: SizedEvent): number => item.bytes + 1;

/** `tick` and `full-batches` passes coalesce: while one waits to run, asking again adds nothing. */
type PassMode = "tick" | "full-batches" | "all" | "close";

/**
 * Conversion events (PROTOCOL.md §1.5): `track()` validates and timestamps an event and queues
 * it, synchronously; batches of `maxBatch` go out every `flushInterval`, as soon as `maxBatch`
 * are waiting, on `flush()` and on `close()`. One batch is in flight at a time, so events
 * arrive in the order they were tracked.
 *
 * Batches are bounded in bytes too: a request body is at most `MAX_EVENTS_BODY_BYTES` (512 KiB,
 * half the local server's 1 MiB limit). A batch the server refuses as too large (413) is put back
 * and sent again in halves, and the bound stays halved (the server said where its limit is); an
 * event refused with 413 on its own is dropped (counted as `rejected`), and only that event.
 *
 * Failures (see `classifyDeliveryFailure`): a batch that could not be delivered (network,
 * timeout, 408, 429, 5xx, circuit open) goes back to the front of the queue and is sent again
 * at the next interval (never before a `Retry-After`); while Rollgate stays unreachable the
 * queue keeps the newest `maxQueue` events, dropping (and counting) the oldest, with one
 * warning per outage. A batch refused with another 4xx is dropped with a warning; 401/403
 * stop sending for the client's life. Nothing is ever thrown to the caller.
 *
 * @example
 * const events = new EventSender({ options: resolved.events, transport, breaker, requestOptions: resolved, logger, emit: (e) => hub.emit(e) });
 * events.track({ flagKey: "checkout-redesign", eventName: "purchase", userId: "user-123", value: 29.99 });
 * await events.close();
 */
export class EventSender {
  private readonly queue: EventQueue<SizedEvent>;
  /** The largest request body to send, in bytes: halved by each 413 for a batch of several events. */
  private maxBodyBytes = MAX_EVENTS_BODY_BYTES;
  private readonly cancel = new Subject<void>();
  private readonly interval: Subscription;
  private tail: Promise<void> = Promise.resolve();
  private readonly queuedPasses = new Set<PassMode>();
  /** After a failed send, a full queue waits for the next interval instead of retrying at once. */
  private waitForTick = false;
  /** No send before this time (ms, scheduler clock): the server's `Retry-After`. */
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private inFlight = 0;
  private stopped = false;
  private closed = false;
  private closePromise: Promise<void> | undefined;
  /** Counts, `events-dropped` events and warnings. */
  private readonly tally: EventTally;

  constructor(private readonly deps: EventSenderDeps) {
    const { maxQueue, maxQueueBytes } = deps.options;
    this.queue = new EventQueue(maxQueue, { weigh, max: maxQueueBytes });
    this.tally = new EventTally({ logger: deps.logger, emit: deps.emit, maxQueue, maxQueueBytes });
    const ms = deps.options.flushInterval * 1000;
    this.interval = timer(ms, ms, deps.requestOptions.scheduler).subscribe(() => {
      this.waitForTick = false;
      this.enqueuePass("tick");
    });
  }

  /**
   * Validates, timestamps (`scheduler.now()`) and queues one event; never throws, never waits.
   * Returns whether it was queued: invalid input is dropped with one warning per faulty field
   * (and counted as `invalid`), input that throws when read (a getter, a Proxy) likewise with one
   * warning for all such input, and anything tracked after `close()` or after the server refused
   * the key is dropped too.
   *
   * @param userId The user, when the input's `userId` is not to be read (a `forUser` view's).
   *
   * @example
   * events.track({ flagKey: "checkout-redesign", eventName: "purchase", userId: "user-123" }); // true
   */
  track(input: unknown, userId?: string): boolean {
    if (this.closed || this.stopped) {
      const reason = this.closed ? "closed" : "unauthorized";
      this.tally.warnOnce(`track-${reason}`, this.closed ? "track() was called after close(); the event was dropped." : "track() was called after Rollgate refused the API key; the event was dropped.");
      this.tally.countDropped(1, reason);
      return false;
    }
    const event = toConversionEvent(input, this.deps.requestOptions.scheduler.now(), userId);
    if (isInvalidEvent(event)) {
      this.tally.countInvalid(event);
      return false;
    }
    const dropped = this.queue.push(event);
    if (dropped > 0) this.tally.countQueueFull(dropped);
    if (this.queue.size >= this.deps.options.maxBatch && !this.waitForTick) this.enqueuePass("full-batches");
    return true;
  }

  /**
   * Sends everything queued now (in batches, in order) and resolves when that is done or has
   * failed; never rejects. Resolves at once while a `Retry-After` is being waited out.
   *
   * @example
   * await events.flush();
   */
  flush(): Promise<void> {
    if (this.closed) return this.closePromise ?? Promise.resolve();
    this.waitForTick = false;
    return this.enqueuePass("all");
  }

  /**
   * Counts since the start.
   *
   * @example
   * events.stats(); // { queued: 3, sent: 200, dropped: 0, invalid: 0, stopped: false }
   */
  stats(): EventsStatus {
    return { queued: this.queue.size + this.inFlight, ...this.tally.counts(), stopped: this.stopped };
  }

  /**
   * Stops the interval and sends what is queued, one attempt per batch (a send waiting out a
   * backoff is cancelled and its batch sent again), within `timeout` seconds in all; what is
   * still unsent then is dropped with a warning. No request leaves while the circuit is open.
   * Idempotent; never rejects; leaves no timer.
   *
   * @example
   * await events.close();
   */
  close(): Promise<void> {
    this.closePromise ??= this.runClose();
    return this.closePromise;
  }

  private async runClose(): Promise<void> {
    this.closed = true;
    this.interval.unsubscribe();
    this.cancel.next();
    const finalPass = this.enqueuePass("close");
    const budgetMs = this.deps.requestOptions.timeout * 1000;
    const finished = await firstValueFrom(
      race(from(finalPass).pipe(map(() => true)), timer(budgetMs, this.deps.requestOptions.scheduler).pipe(map(() => false))),
    );
    if (!finished) {
      this.cancel.next();
      await finalPass;
    }
    this.cancel.complete();
    const left = this.queue.clear();
    if (left > 0) {
      this.deps.logger.warn(`close() could not send ${left} conversion events in time (within the timeout option) or Rollgate was unreachable; they were dropped.`);
      this.tally.countDropped(left, "closed");
    }
  }

  /** Chains one pass after the current one, so that a single batch is ever in flight. */
  private enqueuePass(mode: PassMode): Promise<void> {
    const coalesces = mode === "tick" || mode === "full-batches";
    if (coalesces) {
      if (this.queuedPasses.has(mode)) return this.tail;
      this.queuedPasses.add(mode);
    }
    this.tail = this.tail.then(async () => {
      if (coalesces) this.queuedPasses.delete(mode);
      try {
        await this.pass(mode);
      } catch (error) {
        this.deps.logger.error("Sending conversion events failed unexpectedly.", { error: String(error) });
      }
    });
    return this.tail;
  }

  private async pass(mode: PassMode): Promise<void> {
    const { maxBatch } = this.deps.options;
    while (!this.stopped && this.queue.size > 0) {
      if (mode !== "close") {
        if (this.closed || this.deps.requestOptions.scheduler.now() < this.pausedUntil) return;
        if (mode === "full-batches" && (this.queue.size < maxBatch || this.waitForTick)) return;
      }
      const batch = this.queue.takeWeighed(maxBatch, this.maxBodyBytes - BODY_WRAPPER_BYTES + 1, weigh);
      if (!(await this.send(batch, mode !== "close"))) return;
    }
  }

  /** Sends one batch; whether the next batch may follow. */
  private async send(batch: SizedEvent[], retries: boolean): Promise<boolean> {
    const { transport, breaker, requestOptions, logger, emit } = this.deps;
    this.inFlight = batch.length;
    const events: ConversionEvent[] = batch.map((item) => item.event);
    try {
      const result = await lastValueFrom(
        gatedRequest((signal) => transport.postEvents(events, signal), { breaker, options: requestOptions, retries }).pipe(takeUntil(this.cancel)),
        { defaultValue: CANCELLED },
      );
      this.inFlight = 0;
      if (result === CANCELLED) {
        this.putBack(batch);
        return false;
      }
      this.tally.countSent(batch.length);
      emit({ type: "events-sent", count: batch.length, queued: this.queue.size });
      return true;
    } catch (error) {
      this.inFlight = 0;
      const failure = classifyDeliveryFailure(error);
      switch (failure.kind) {
        case "retry-later":
        case "closed":
          this.putBack(batch);
          this.waitForTick = true;
          if (failure.kind === "retry-later" && failure.retryAfter !== undefined) {
            this.pausedUntil = requestOptions.scheduler.now() + failure.retryAfter * 1000;
          }
          if (failure.kind === "retry-later" && !this.closed) this.tally.warnUnsent(failure.error);
          return false;
        case "drop":
          if (failure.error instanceof RequestError && failure.error.status === 413) return this.onTooLarge(batch);
          logger.warn(`Rollgate refused a batch of ${batch.length} conversion events, which were dropped: sending them again cannot succeed. ${failure.error.message}`, { code: failure.error.code });
          emit({ type: "error", error: failure.error });
          this.tally.countDropped(batch.length, "rejected");
          return true;
        case "stop": {
          this.stopped = true;
          this.interval.unsubscribe();
          logger.error(`Rollgate refused the API key for conversion events; no more events will be sent. ${failure.error.message}`, { code: failure.error.code });
          emit({ type: "error", error: failure.error });
          this.tally.countDropped(batch.length + this.queue.clear(), "unauthorized");
          return false; // nothing more to send, ever
        }
      }
    }
  }

  /**
   * The server refused `batch` as too large (413): several events go back to the front of the
   * queue, to be sent at once in batches of at most half its bytes; an event alone is dropped.
   */
  private onTooLarge(batch: SizedEvent[]): boolean {
    if (batch.length > 1) {
      const bytes = batch.reduce((sum, item) => sum + weigh(item), BODY_WRAPPER_BYTES - 1);
      this.maxBodyBytes = Math.max(1, Math.floor(bytes / 2));
      this.putBack(batch);
      this.tally.warnOnce("too-large", `Rollgate refused a batch of ${batch.length} conversion events (${bytes} bytes) as too large (HTTP 413); sending them again in smaller batches, of at most ${this.maxBodyBytes} bytes from now on.`);
      return true;
    }
    this.tally.warnOnce("too-large-event", `Rollgate refused a conversion event of ${batch[0]!.bytes} bytes as too large (HTTP 413) on its own; it was dropped (counted in getStatus().events.dropped), and so will be any other it refuses alone. Keep metadata small.`);
    this.tally.countDropped(1, "rejected");
    return true;
  }

  private putBack(batch: readonly SizedEvent[]): void {
    const dropped = this.queue.putBack(batch);
    if (dropped > 0) this.tally.countQueueFull(dropped);
  }
}
