import { RollgateConfigError } from "rollgate";
import { resolveOptions } from "../../src/client/resolve-options";
import { MAX_TIMER_SECONDS } from "../../src/options/max-timer-seconds";

/**
 * Issue 13 item 2: every option that becomes a timer is bounded by Node's timer limit (above
 * it, a timer fires after 1 ms: a busy loop), has a sensible minimum, and a value that looks
 * like milliseconds is rejected with a hint. Cache durations are not timers, but share the helper.
 */

const KEY = "rg_server_duration_test";

/** Every duration option, as a path and a builder of the options that set it. */
const DURATIONS: ReadonlyArray<[string, (seconds: number) => Record<string, unknown>]> = [
  ["refreshInterval", (s) => ({ refreshInterval: s })],
  ["timeout", (s) => ({ timeout: s })],
  ["initTimeout", (s) => ({ initTimeout: s })],
  ["streamReadTimeout", (s) => ({ streamReadTimeout: s })],
  ["retry.baseDelay", (s) => ({ retry: { baseDelay: s } })],
  ["retry.maxDelay", (s) => ({ retry: { maxDelay: s } })],
  ["circuitBreaker.resetTimeout", (s) => ({ circuitBreaker: { resetTimeout: s } })],
];

/** Not timers (compared with an entry's age): bounded at a year. */
const CACHE_DURATIONS: ReadonlyArray<[string, (seconds: number) => Record<string, unknown>]> = [
  ["cache.ttl", (s) => ({ cache: { ttl: s } })],
  ["cache.maxAge", (s) => ({ cache: { maxAge: s } })],
];

function rejection(options: Record<string, unknown>): RollgateConfigError {
  try {
    resolveOptions({ apiKey: KEY, cache: false, ...options });
  } catch (error) {
    if (error instanceof RollgateConfigError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe("duration options", () => {
  it.each(DURATIONS)("%s: a value past Node's timer limit is rejected, naming the option, with the seconds hint", (path, build) => {
    for (const value of [MAX_TIMER_SECONDS + 1, 3_600_000, 1e12, Number.MAX_VALUE]) {
      const error = rejection(build(value));
      expect(error.option).toBe(path);
      expect(error.message).toMatch(/durations are in seconds, not milliseconds/);
    }
  });

  it.each(CACHE_DURATIONS)("%s: a value past a year is rejected, naming the option, with the seconds hint", (path, build) => {
    expect(resolveOptions({ apiKey: KEY, ...build(30 * 86_400) }).cache).toBeTruthy();
    for (const value of [365 * 86_400 + 1, 1e12, Number.MAX_VALUE]) {
      const error = rejection(build(value));
      expect(error.option).toBe(path);
      expect(error.message).toMatch(/durations are in seconds, not milliseconds/);
    }
  });

  it.each([...DURATIONS, ...CACHE_DURATIONS])("%s: NaN, infinities, negative numbers and strings are rejected", (path, build) => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, "30"]) {
      expect(rejection(build(value as number)).option).toBe(path);
    }
  });

  it.each([
    ["refreshInterval", { refreshInterval: 3_600_000 }],
    ["timeout", { timeout: 5000 }],
    ["initTimeout", { initTimeout: 10_000 }],
    ["streamReadTimeout", { streamReadTimeout: 300_000 }],
    ["circuitBreaker.resetTimeout", { circuitBreaker: { resetTimeout: 30_000 } }],
    ["retry.maxDelay", { retry: { maxDelay: 10_000 } }],
  ])("%s: an amount of milliseconds (%j) is rejected with the seconds hint", (path, options) => {
    const error = rejection(options);
    expect(error.option).toBe(path);
    expect(error.message).toMatch(/durations are in seconds, not milliseconds/);
  });

  it("refreshInterval: 0 still turns polling off; below the minimum is rejected (a 1e-9 s poll was a busy loop)", () => {
    expect(resolveOptions({ apiKey: KEY, refreshInterval: 0 }).refreshInterval).toBe(0);
    expect(resolveOptions({ apiKey: KEY, refreshInterval: 0.5 }).refreshInterval).toBe(0.5);
    for (const value of [1e-9, 0.001, 0.49]) {
      const error = rejection({ refreshInterval: value });
      expect(error.option).toBe("refreshInterval");
      expect(error.message).toMatch(/at least 0\.5 s \(or 0/);
    }
  });

  it.each([
    ["timeout", { timeout: 1e-9 }],
    ["initTimeout", { initTimeout: 0.001 }],
    ["streamReadTimeout", { streamReadTimeout: 0.5 }],
    ["circuitBreaker.resetTimeout", { circuitBreaker: { resetTimeout: 1e-6 } }],
  ])("%s: a value below its minimum is rejected", (path, options) => {
    const error = rejection(options);
    expect(error.option).toBe(path);
    expect(error.message).toMatch(/at least/);
  });

  it("accepts the defaults' neighbourhood and the documented extremes", () => {
    expect(() =>
      resolveOptions({
        apiKey: KEY,
        refreshInterval: 86_400,
        timeout: 600,
        initTimeout: 0.01,
        streamReadTimeout: 86_400,
        retry: { baseDelay: 0, maxDelay: 3600 },
        circuitBreaker: { resetTimeout: 3600 },
        cache: { ttl: 0, maxAge: 365 * 86_400 },
      }),
    ).not.toThrow();
  });
});
