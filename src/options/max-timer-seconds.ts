/**
 * The longest delay, in seconds, that a timer can wait: Node's timers hold a signed 32-bit
 * millisecond count (2^31 - 1 ms, about 24.8 days) and fire after 1 ms for anything longer,
 * which would turn a "wait a month" option into a busy loop. Option schemas reject durations
 * above this.
 *
 * @example
 * z.number().max(MAX_TIMER_SECONDS)
 */
export const MAX_TIMER_SECONDS = 2_147_483;
