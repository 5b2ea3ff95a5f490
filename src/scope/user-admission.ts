import type { UsersStatus } from "../model/rollgate-status";
import type { Logger } from "../logger/logger";

/**
 * The bounded admission of per-request users' fetches (`users.maxPending`): how many are pending,
 * whether one more may be started, and the overload episodes (logged once each: a warning when
 * one starts, an info line when the queue has drained to half).
 *
 * @example
 * if (!admission.admits("waiting")) return admission.shed(); // overloaded: answer at once
 * admission.track(fetch);
 */
export class UserAdmission {
  private outstanding = 0;
  private overloaded = false;
  private shedTotal = 0;
  private shedInEpisode = 0;

  constructor(
    private readonly maxPending: number,
    private readonly logger: Logger,
    /** Called when an episode starts or ends and for each user shed: the status shows it. */
    private readonly onChange: () => void,
  ) {}

  /** Users' fetches started and not settled. */
  get pending(): number {
    return this.outstanding;
  }

  status(): UsersStatus {
    return { overloaded: this.overloaded, shed: this.shedTotal };
  }

  /**
   * Whether one more fetch may start: one somebody waits for, while fewer than `maxPending` are
   * pending; a background refetch, while fewer than half (it never crowds out new users).
   */
  admits(kind: "waiting" | "background"): boolean {
    return (kind === "waiting" ? this.outstanding : this.outstanding * 2) < this.maxPending;
  }

  /** Counts `fetch` as pending until it settles. */
  track(fetch: Promise<unknown>): void {
    this.outstanding++;
    const settled = (): void => {
      this.outstanding--;
      if (this.overloaded && this.outstanding * 2 <= this.maxPending) {
        this.overloaded = false;
        this.logger.info(`forUser recovered from overload; ${this.shedInEpisode} calls were answered without waiting meanwhile.`);
        this.shedInEpisode = 0;
        this.onChange();
      }
    };
    fetch.then(settled, settled);
  }

  /** Records a user answered without waiting; returns the stale reason to show. */
  shed(hasFlags: boolean): string {
    this.shedTotal++;
    this.shedInEpisode++;
    if (!this.overloaded) {
      this.overloaded = true;
      this.logger.warn(
        `forUser is overloaded: more than users.maxPending (${this.maxPending}) users' flags requests are pending; users it would wait for get their last flags or your defaults, marked stale ("overloaded"), until the queue drains. Consider more connections (README, "Many users").`,
      );
    }
    this.onChange();
    return `overloaded: more than users.maxPending (${this.maxPending}) users' flags requests are pending; serving ${hasFlags ? "the last flags" : "your defaults"} without waiting.`;
  }
}
