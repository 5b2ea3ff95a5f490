import { RateLimitError, ServerError } from "../../src/errors";
import { classifyFailure } from "../../src/resilience/classify-failure";
import { RetryAfterGate } from "../../src/resilience/retry-after-gate";

/**
 * The server's "not before", shared by every user's fetches (issue 25: each test fails on a
 * mutant of src/resilience/retry-after-gate.ts). Times are milliseconds on the scheduler's clock.
 */

const rateLimited = (seconds: number | undefined) => classifyFailure(new RateLimitError(seconds));

function gateWithCloses(): { gate: RetryAfterGate; closes: number[] } {
  const gate = new RetryAfterGate();
  const closes: number[] = [];
  gate.closedUntil$.subscribe((until) => closes.push(until));
  return { gate, closes };
}

describe("RetryAfterGate", () => {
  it("is open until a failure with a Retry-After closes it, and opens again exactly when that time comes", () => {
    const { gate, closes } = gateWithCloses();
    expect(gate.blockedBy(0)).toBeUndefined();
    const failure = rateLimited(100);
    gate.record(failure, 5_000);
    expect(closes).toEqual([105_000]);
    expect(gate.blockedBy(5_000)).toBe(failure);
    expect(gate.blockedBy(104_999)).toBe(failure);
    expect(gate.blockedBy(105_000)).toBeUndefined();
  });

  it("ignores a failure without a Retry-After", () => {
    const { gate, closes } = gateWithCloses();
    gate.record(classifyFailure(new ServerError(503, undefined)), 0);
    gate.record(rateLimited(undefined), 0);
    expect(closes).toEqual([]);
    expect(gate.blockedBy(0)).toBeUndefined();
  });

  it("keeps the later of two ends: a shorter or equal Retry-After neither shortens the wait nor announces it again", () => {
    const { gate, closes } = gateWithCloses();
    const long = rateLimited(100);
    gate.record(long, 0);
    gate.record(rateLimited(10), 0);
    gate.record(rateLimited(100), 0);
    expect(closes).toEqual([100_000]);
    expect(gate.blockedBy(50_000)).toBe(long);
    const longer = rateLimited(60);
    gate.record(longer, 50_000);
    expect(closes).toEqual([100_000, 110_000]);
    expect(gate.blockedBy(105_000)).toBe(longer);
  });

  it("opens at once on clear(), and a later Retry-After closes it again", () => {
    const { gate, closes } = gateWithCloses();
    gate.record(rateLimited(100), 0);
    gate.clear();
    expect(gate.blockedBy(1_000)).toBeUndefined();
    const next = rateLimited(5);
    gate.record(next, 1_000);
    expect(closes).toEqual([100_000, 6_000]);
    expect(gate.blockedBy(2_000)).toBe(next);
  });
});
