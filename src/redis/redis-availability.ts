import { timer, type SchedulerLike, type Subscription } from "rxjs";
import type { Logger } from "../logger/logger";
import { errorDetail } from "../resilience/error-detail";

/** What a {@link RedisAvailability} needs: the clock, where to log, and how to ask Redis whether it is back. */
export interface RedisAvailabilityDeps {
  /** The longest any one call may take, in ms. */
  readonly timeoutMs: number;
  /** While Redis is down, how often it is asked whether it is back, in ms. */
  readonly retryMs: number;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  /** A cheap command (PING) that succeeds once Redis answers again. */
  readonly probe: () => Promise<unknown>;
  /** Whether the connection could carry the probe now (false while the client is reconnecting). */
  readonly connected: () => boolean;
  /** Called once per recovery, after Redis answered again: the owner refills what it holds. */
  readonly onResumed: () => void;
}

/** Down warnings closer together than this are logged at debug level: a flapping Redis logs once. */
const QUIET_WARNINGS_MS = 60_000;

/**
 * Whether Redis is worth calling, and every call bounded (DESIGN.md, "Fleets share through Redis").
 *
 * Up: each call races `timeoutMs` on the scheduler; a failure or a timeout turns it down (one
 * warning) and the call answers its fallback. Down: calls answer their fallback at once, without
 * touching Redis (no call per request), while a probe asks Redis every `retryMs`, and at once when
 * the client reports its connection ready; the first probe answered turns it up again (one info
 * line) and `onResumed` runs. Nothing here throws or leaves a rejected promise behind.
 */
export class RedisAvailability {
  readonly #deps: RedisAvailabilityDeps;
  #down = false;
  #probing = false;
  #closed = false;
  #retry: Subscription | undefined;
  #lastWarningAt = Number.NEGATIVE_INFINITY;

  constructor(deps: RedisAvailabilityDeps) {
    this.#deps = deps;
  }

  /** False while Redis is down (calls answer their fallback without reaching it). */
  get available(): boolean {
    return !this.#down && !this.#closed;
  }

  /**
   * Runs `work` when Redis is up, bounded by the timeout. Resolves `fallback` when Redis is down,
   * or when `work` fails or outlasts the timeout (Redis is then down); never rejects.
   * `onSkipped` is told about each call not made or not answered, for counting.
   */
  run<T>(work: () => Promise<T>, fallback: T, onSkipped: (reason: "down" | "failed") => void): Promise<T> {
    if (!this.available) {
      onSkipped("down");
      return Promise.resolve(fallback);
    }
    return this.#bounded(work).then(
      (value) => value,
      (error: unknown) => {
        onSkipped("failed");
        this.markDown(describe(error));
        return fallback;
      },
    );
  }

  /** Redis is down (a failed call, a lost connection): logs once, skips calls and starts probing. */
  markDown(reason: string): void {
    if (this.#down || this.#closed) return;
    this.#down = true;
    const { logger, scheduler, retryMs } = this.#deps;
    const now = scheduler.now();
    const level = now - this.#lastWarningAt < QUIET_WARNINGS_MS ? "debug" : "warn";
    if (level === "warn") this.#lastWarningAt = now;
    logger[level]("Redis is unreachable; flags are served from memory and Rollgate, and the shared store is skipped until Redis answers again.", {
      reason,
    });
    this.#retry = timer(retryMs, retryMs, scheduler).subscribe(() => this.probe());
  }

  /** Asks Redis whether it is back (once at a time; only while down and connected). */
  probe(): void {
    if (!this.#down || this.#closed || this.#probing || !this.#deps.connected()) return;
    this.#probing = true;
    this.#bounded(this.#deps.probe).then(
      () => {
        this.#probing = false;
        this.#markUp();
      },
      (error: unknown) => {
        this.#probing = false;
        this.#deps.logger.debug("Redis is still unreachable.", { reason: describe(error) });
      },
    );
  }

  /** Stops probing; later calls answer their fallback. */
  close(): void {
    this.#closed = true;
    this.#retry?.unsubscribe();
    this.#retry = undefined;
  }

  #markUp(): void {
    if (!this.#down || this.#closed) return;
    this.#down = false;
    this.#retry?.unsubscribe();
    this.#retry = undefined;
    this.#deps.logger.info("Redis answers again; the shared flag store is back in use.");
    try {
      this.#deps.onResumed();
    } catch (error) {
      this.#deps.logger.debug("Refilling the shared flag store failed.", { reason: describe(error) });
    }
  }

  /** `work()`, rejected after `timeoutMs` if it has not settled (on the scheduler, so tests run it in virtual time). */
  #bounded<T>(work: () => Promise<T>): Promise<T> {
    const { timeoutMs, scheduler } = this.#deps;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const deadline = scheduler.schedule(() => {
        if (settled) return;
        settled = true;
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        deadline.unsubscribe();
        settle();
      };
      let pending: Promise<T>;
      try {
        pending = work();
      } catch (error) {
        finish(() => reject(error));
        return;
      }
      pending.then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }
}

function describe(error: unknown): string {
  return errorDetail(error instanceof Error ? error.message : String(error)) ?? "unknown failure";
}
