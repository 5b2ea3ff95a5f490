/**
 * The longest wait, in seconds, that a `Retry-After` header can impose. A server (or a proxy
 * in front of it) asking for more than an hour is treated as asking for an hour: the client
 * must not go silent for days because of one header, and the breaker and polling keep their
 * own pacing anyway.
 */
export const MAX_RETRY_AFTER_SECONDS = 3600;

// RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds, delay-seconds = 1*DIGIT.
const DELAY_SECONDS = /^\d+$/;

// RFC 9110 §5.6.7: recipients accept IMF-fixdate and the two obsolete formats. `Date.parse`
// alone is far too lenient (it reads "foo 2" as a date), so the shape is checked first.
const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const TIME = "\\d{2}:\\d{2}:\\d{2}";
const IMF_FIXDATE = new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`);
// asctime carries no zone; HTTP says it is GMT, while Date.parse would read it as local time.
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4}$`);

function parseHttpDate(value: string): number {
  if (IMF_FIXDATE.test(value) || RFC850_DATE.test(value)) return Date.parse(value);
  if (ASCTIME_DATE.test(value)) return Date.parse(`${value} GMT`);
  return Number.NaN;
}

/**
 * Reads a `Retry-After` header value as whole seconds to wait from `nowMs`.
 *
 * - delay-seconds (`"120"`) → that many seconds;
 * - an HTTP-date → the seconds from `nowMs` to that date, rounded up (so the next attempt is
 *   never early), and 0 for a date in the past;
 * - anything else (missing, empty, negative, fractional, an unparsable date) → `undefined`;
 * - every result is capped at {@link MAX_RETRY_AFTER_SECONDS} (one hour).
 *
 * @param header The raw header value, or `null`/`undefined` when the response had none.
 * @param nowMs The current time in epoch milliseconds, from the scheduler (`scheduler.now()`).
 * @returns Whole seconds in `[0, 3600]`, or `undefined` when the header says nothing usable.
 *
 * @example
 * parseRetryAfter("30", scheduler.now());                              // 30
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.UTC(2015, 9, 21, 7, 27, 0)); // 60
 * parseRetryAfter("soon", scheduler.now());                            // undefined
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === "") return undefined;

  if (DELAY_SECONDS.test(value)) {
    return Math.min(Number(value), MAX_RETRY_AFTER_SECONDS);
  }

  const dateMs = parseHttpDate(value);
  if (Number.isNaN(dateMs)) return undefined;
  const seconds = Math.ceil((dateMs - nowMs) / 1000);
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
}
