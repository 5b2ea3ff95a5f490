import { filter, Subject, type Observable } from "rxjs";
import type { Logger } from "../logger/logger";
import type { RollgateEvent, RollgateEventOf, RollgateEventType } from "./rollgate-event";

/**
 * The client's event bus: `events$` for reactive code, `on(type, fn)` for callbacks. A listener
 * that throws is logged and contained; it never breaks the client or other listeners.
 */
export class EventHub {
  private readonly subject = new Subject<RollgateEvent>();
  /** Every event, hot (not replayed). Completes on `close()`. */
  readonly events$: Observable<RollgateEvent> = this.subject.asObservable();

  constructor(private readonly logger: Logger) {}

  /** Whether anyone listens: lets callers skip building events nobody will see. */
  get observed(): boolean {
    return this.subject.observed;
  }

  emit(event: RollgateEvent): void {
    if (this.subject.observed) this.subject.next(event);
  }

  on<T extends RollgateEventType>(type: T, listener: (event: RollgateEventOf<T>) => void): () => void {
    const subscription = this.subject.pipe(filter((event): event is RollgateEventOf<T> => event.type === type)).subscribe((event) => {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`A listener for "${type}" threw; the client carries on.`, { error: String(error) });
      }
    });
    return () => subscription.unsubscribe();
  }

  complete(): void {
    this.subject.complete();
  }
}
