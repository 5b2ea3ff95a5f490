import * as z from "zod/mini";
import { MAX_TIMER_SECONDS } from "./max-timer-seconds";

/** The range of one duration option, in seconds. */
export interface DurationBounds {
  /** The smallest value accepted (inclusive), apart from `0` when {@link offAtZero}. */
  readonly min: number;
  /** The largest value accepted (inclusive). At most {@link MAX_TIMER_SECONDS} for anything that becomes a timer. */
  readonly max: number;
  /** `0` is accepted too, meaning "off" (e.g. `refreshInterval: 0` disables polling). */
  readonly offAtZero?: boolean;
  /** Whether the value becomes a timer, so that `max` may not pass {@link MAX_TIMER_SECONDS}. @default true */
  readonly timer?: boolean;
}

/** Seconds in a year: the bound of durations that are compared with ages, never waited for. */
const YEAR = 365 * 86_400;

/**
 * Every duration option of the client, in seconds, in one table: the minimums keep a tiny value
 * from turning into a busy loop (`refreshInterval: 1e-9` polled as fast as the event loop
 * allowed), the maximums keep every timer under Node's limit ({@link MAX_TIMER_SECONDS}: past
 * it a timer fires after 1 ms) and are low enough that an amount of milliseconds (the official
 * SDKs take ms) is caught rather than read as hours.
 *
 * @example
 * DURATION_BOUNDS.refreshInterval; // { min: 0.5, max: 86400, offAtZero: true }
 */
export const DURATION_BOUNDS = Object.freeze({
  refreshInterval: Object.freeze({ min: 0.5, max: 86_400, offAtZero: true }),
  timeout: Object.freeze({ min: 0.01, max: 600 }),
  initTimeout: Object.freeze({ min: 0.01, max: 600 }),
  streamReadTimeout: Object.freeze({ min: 1, max: 86_400 }),
  retryBaseDelay: Object.freeze({ min: 0, max: 60 }),
  // The same cap as a server's Retry-After (MAX_RETRY_AFTER_SECONDS).
  retryMaxDelay: Object.freeze({ min: 0, max: 3600 }),
  circuitResetTimeout: Object.freeze({ min: 0.01, max: 3600 }),
  // Not timers: compared with an entry's age. Bounded anyway, so that a typo is caught.
  cacheTtl: Object.freeze({ min: 0, max: YEAR, timer: false }),
  cacheMaxAge: Object.freeze({ min: 0, max: YEAR, timer: false }),
  // Checked on poll ticks, never a timer of its own; a week at most.
  usersIdleTimeout: Object.freeze({ min: 1, max: 7 * 86_400, timer: false }),
  // Compared with a user's flags' age, never a timer.
  usersMaxStale: Object.freeze({ min: 0, max: 7 * 86_400, timer: false }),
  eventsFlushInterval: Object.freeze({ min: 0.1, max: 86_400 }),
  telemetryFlushInterval: Object.freeze({ min: 0.1, max: 86_400 }),
} satisfies Record<string, DurationBounds>);

/** Rejected values at least this large are probably milliseconds, and the message says so. */
const LOOKS_LIKE_MILLISECONDS = 1000;

/**
 * Why `value` is not a valid duration within `bounds`, as the end of "expected …" sentence; or
 * `undefined` when it is valid.
 *
 * @example
 * durationProblem(3_600_000, DURATION_BOUNDS.refreshInterval); // "at most 86400 s; durations are in seconds, not milliseconds"
 */
export function durationProblem(value: number, bounds: DurationBounds): string | undefined {
  const { min, max, offAtZero = false } = bounds;
  if (!Number.isFinite(value)) return "a finite number of seconds";
  if (offAtZero && value === 0) return undefined;
  if (value < min) return `at least ${min} s${offAtZero ? " (or 0 to turn it off)" : ""}`;
  if (value > max) {
    const hint = value >= LOOKS_LIKE_MILLISECONDS ? "; durations are in seconds, not milliseconds" : "";
    return `at most ${max} s${hint}`;
  }
  return undefined;
}

/**
 * The one schema of every duration option: a number of seconds within `bounds` (see
 * {@link DURATION_BOUNDS}), rejected with a message that names the bound and, for a value that
 * looks like milliseconds, says that durations are in seconds.
 *
 * @param what - what the duration is, for messages: "a polling interval", "a timeout".
 * @example
 * const schema = z.strictObject({ resetTimeout: z.optional(durationSchema("a reset timeout", DURATION_BOUNDS.circuitResetTimeout)) });
 */
export function durationSchema(what: string, bounds: DurationBounds): z.ZodMiniType<number> {
  const limit = bounds.timer === false ? YEAR : MAX_TIMER_SECONDS;
  if (bounds.max > limit || bounds.min < 0 || bounds.min > bounds.max) throw new RangeError(`Invalid duration bounds for ${what}.`);
  return z.number({ error: `expected ${what} in seconds` }).check(
    z.superRefine((value, context) => {
      const problem = durationProblem(value, bounds);
      if (problem !== undefined) context.addIssue({ code: "custom", message: `expected ${what} of ${problem}` });
    }),
  );
}
