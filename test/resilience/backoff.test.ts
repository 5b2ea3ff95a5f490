import fc from "fast-check";
import { fullJitterBackoff, retryDelay } from "../../src/resilience/backoff";
import { DEFAULT_RETRY_OPTIONS } from "../../src/resilience/retry-options";

/** A small seeded PRNG (mulberry32), so that "random" runs are repeatable. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALMOST_ONE = 1 - Number.EPSILON;

describe("fullJitterBackoff", () => {
  it.each<[number, number]>([
    [0, 0.1],
    [1, 0.2],
    [2, 0.4],
    [3, 0.8],
    [6, 6.4],
    [7, 10],
    [50, 10],
    [5000, 10],
  ])("after %i retries waits below a ceiling of %p s", (attempt, ceiling) => {
    expect(fullJitterBackoff(attempt, 0.1, 10, () => ALMOST_ONE)).toBeCloseTo(ceiling, 9);
    expect(fullJitterBackoff(attempt, 0.1, 10, () => 0)).toBe(0);
    expect(fullJitterBackoff(attempt, 0.1, 10, () => 0.5)).toBeCloseTo(ceiling / 2, 9);
  });

  it("stays within [0, min(cap, base * 2^attempt)) for a seeded random sequence", () => {
    const random = seededRandom(42);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 20; attempt += 1) {
      for (let sample = 0; sample < 50; sample += 1) {
        const delay = fullJitterBackoff(attempt, 0.1, 10, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(10, 0.1 * 2 ** attempt));
        delays.push(delay);
      }
    }
    // Jitter really spreads the delays: no two samples of 1000 coincide.
    expect(new Set(delays).size).toBe(delays.length);
  });

  it("is never NaN or infinite, whatever the inputs", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1_000_000 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, cap, r) => {
          const delay = fullJitterBackoff(attempt, base, cap, () => r);
          return Number.isFinite(delay) && delay >= 0 && delay <= cap;
        },
      ),
    );
  });
});

describe("retryDelay", () => {
  const options = DEFAULT_RETRY_OPTIONS;

  it("is the backoff when the server gave no Retry-After", () => {
    expect(retryDelay(2, {}, options, () => 0.5)).toBeCloseTo(0.2, 9);
  });

  it("lets Retry-After win over a shorter backoff", () => {
    expect(retryDelay(0, { retryAfter: 5 }, options, () => 0.5)).toBe(5);
  });

  it("lets Retry-After exceed maxDelay", () => {
    expect(retryDelay(20, { retryAfter: 120 }, options, () => ALMOST_ONE)).toBe(120);
  });

  it("keeps a backoff longer than Retry-After", () => {
    expect(retryDelay(10, { retryAfter: 1 }, options, () => 0.5)).toBe(5);
  });

  it("never returns less than Retry-After", () => {
    fc.assert(
      fc.property(fc.nat({ max: 64 }), fc.nat({ max: 3600 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, retryAfter, r) => {
        return retryDelay(attempt, { retryAfter }, options, () => r) >= retryAfter;
      }),
    );
  });
});
