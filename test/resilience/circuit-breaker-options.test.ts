import {
  circuitBreakerOptionsSchema,
  DEFAULT_CIRCUIT_BREAKER_OPTIONS,
  resolveCircuitBreakerOptions,
} from "../../src/resilience/circuit-breaker-options";

describe("circuit breaker options", () => {
  it("default to opening after 5 failures for 30 s", () => {
    expect(DEFAULT_CIRCUIT_BREAKER_OPTIONS).toEqual({ failureThreshold: 5, resetTimeout: 30 });
    expect(Object.isFrozen(DEFAULT_CIRCUIT_BREAKER_OPTIONS)).toBe(true);
  });

  it("fill in defaults without touching the caller's object", () => {
    const given = Object.freeze({ resetTimeout: 0.5 });
    expect(resolveCircuitBreakerOptions(given)).toEqual({ failureThreshold: 5, resetTimeout: 0.5 });
    expect(given).toEqual({ resetTimeout: 0.5 });
    expect(resolveCircuitBreakerOptions()).toEqual(DEFAULT_CIRCUIT_BREAKER_OPTIONS);
  });

  it.each<[string, unknown]>([
    ["no options", {}],
    ["a threshold of one", { failureThreshold: 1 }],
    ["a fractional reset timeout", { resetTimeout: 0.25 }],
  ])("accept %s", (_name, value) => {
    expect(circuitBreakerOptionsSchema.safeParse(value).success).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ["a zero threshold", { failureThreshold: 0 }, "failureThreshold"],
    ["a fractional threshold", { failureThreshold: 2.5 }, "failureThreshold"],
    ["a zero reset timeout", { resetTimeout: 0 }, "resetTimeout"],
    ["a negative reset timeout", { resetTimeout: -30 }, "resetTimeout"],
    ["an infinite reset timeout", { resetTimeout: Number.POSITIVE_INFINITY }, "resetTimeout"],
    ["a reset timeout of a year", { resetTimeout: 365 * 24 * 3600 }, "resetTimeout"],
  ])("reject %s, naming the option", (_name, value, path) => {
    const result = circuitBreakerOptionsSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([path]);
  });

  it("rejects a misspelt option", () => {
    expect(circuitBreakerOptionsSchema.safeParse({ threshold: 5 }).success).toBe(false);
  });
});
