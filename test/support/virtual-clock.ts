import { VirtualTimeScheduler } from "rxjs";

/**
 * A virtual clock for the client's `scheduler` option: timers (polling, backoff, breaker,
 * timeouts) fire only when a test advances it, while real I/O runs as usual.
 */
export class VirtualClock {
  readonly scheduler = new VirtualTimeScheduler();

  /** Virtual milliseconds since the start. */
  get now(): number {
    return this.scheduler.now();
  }

  /** Runs every timer due up to `ms` virtual milliseconds from now. */
  advanceBy(ms: number): void {
    this.scheduler.maxFrames = this.scheduler.now() + ms;
    this.scheduler.flush();
    // flush() leaves the clock at the last timer that ran; move it to the target time.
    this.scheduler.frame = this.scheduler.maxFrames;
  }
}

/** Lets pending promise callbacks and I/O callbacks run (real time, a few ms at most). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Waits in real time until `predicate` holds, for I/O to complete; fails the test after
 * `timeoutMs`. Timing logic itself is driven by VirtualClock, not by this.
 */
export async function eventually(predicate: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
