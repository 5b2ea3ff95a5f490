import { Subject, type Observable } from "rxjs";
import type { Logger } from "../logger/logger";
import type { RollgateEvent, RollgateEventOf, RollgateEventType } from "../model/rollgate-event";

interface Registration {
  readonly listener: (event: RollgateEvent) => void;
  /** Cleared by the unsubscribe function, so a listener removed during an emission is skipped. */
  active: boolean;
}

/**
 * The client's event bus: `events$` for reactive code, `on(type, fn)` for callbacks. A listener
 * that throws is logged and contained; it never breaks the client or other listeners.
 *
 * Listeners are kept per event type, so an event costs O(listeners of its type), however many
 * listen to other types (a poll that changes 10,000 flags with 1,000 `on("stale")` listeners
 * runs no listener code for them). Each type's list is copied on write: an emission walks the
 * list as it was when it started.
 */
export class EventHub {
  private readonly subject = new Subject<RollgateEvent>();
  private readonly listeners = new Map<RollgateEventType, readonly Registration[]>();
  private listenerCount = 0;
  private completed = false;
  /** Every event, hot (not replayed). Completes on `close()`. */
  readonly events$: Observable<RollgateEvent> = this.subject.asObservable();

  constructor(private readonly logger: Logger) {}

  /** Whether anyone listens: lets callers skip building events nobody will see. */
  get observed(): boolean {
    return this.listenerCount > 0 || this.subject.observed;
  }

  emit(event: RollgateEvent): void {
    if (this.subject.observed) this.subject.next(event);
    if (this.listenerCount === 0) return;
    const type = event.type;
    const registrations = this.listeners.get(type);
    if (registrations === undefined) return;
    for (const registration of registrations) {
      if (!registration.active) continue;
      try {
        registration.listener(event);
      } catch (error) {
        this.logger.error(`A listener for "${type}" threw; the client carries on.`, { error: String(error) });
      }
    }
  }

  on<T extends RollgateEventType>(type: T, listener: (event: RollgateEventOf<T>) => void): () => void {
    if (this.completed) return () => {};
    const registration: Registration = { listener: listener as (event: RollgateEvent) => void, active: true };
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), registration]);
    this.listenerCount++;
    return () => {
      if (!registration.active) return;
      registration.active = false;
      this.listenerCount--;
      const remaining = (this.listeners.get(type) ?? []).filter((r) => r !== registration);
      if (remaining.length === 0) this.listeners.delete(type);
      else this.listeners.set(type, remaining);
    };
  }

  complete(): void {
    this.completed = true;
    for (const registrations of this.listeners.values()) for (const registration of registrations) registration.active = false;
    this.listeners.clear();
    this.listenerCount = 0;
    this.subject.complete();
  }
}
