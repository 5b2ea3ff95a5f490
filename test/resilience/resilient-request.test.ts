import { firstValueFrom } from "rxjs";
import { NetworkError } from "../../src/errors";
import { resilientRequest, type ResilientRequestDeps } from "../../src/resilience/resilient-request";
import { CircuitBreaker } from "../../src/resilience/circuit-breaker";
import { resolveCircuitBreakerOptions } from "../../src/resilience/circuit-breaker-options";
import { resolveRetryOptions } from "../../src/resilience/retry-options";
import { advanceWithPromises as advance, LeanVirtualClock } from "../support/lean-virtual-clock";

/**
 * `resilientRequest`'s two switches, as the modules that set them see them: `side` (identify,
 * events, telemetry: gated by the breaker, never counted by it) and `retries: false` (the
 * identify POST: one attempt).
 */
describe("resilientRequest", () => {
  function setUp(failureThreshold: number) {
    const clock = new LeanVirtualClock();
    const breaker = new CircuitBreaker(resolveCircuitBreakerOptions({ failureThreshold, resetTimeout: 30 }), clock.scheduler);
    const options = { timeout: 1, retry: resolveRetryOptions({ maxRetries: 2, baseDelay: 0.01, maxDelay: 0.01 }), scheduler: clock.scheduler };
    let attempts = 0;
    /** A server that is down: every attempt fails with a network error. */
    const down = (): Promise<string> => {
      attempts++;
      return Promise.reject(new NetworkError("connection refused"));
    };
    const outcome = async (deps: Partial<ResilientRequestDeps>): Promise<string> => {
      const settled = firstValueFrom(resilientRequest(down, { breaker, options, ...deps })).catch((error: { code: string }) => error.code);
      await advance(clock, 200);
      return settled;
    };
    return { breaker, outcome, attempts: () => attempts };
  }

  it("retries a failed request up to maxRetries, and sends a request that gets no retries once", async () => {
    const retried = setUp(100);
    expect(await retried.outcome({})).toBe("NETWORK_ERROR");
    expect(retried.attempts()).toBe(3);
    const once = setUp(100);
    expect(await once.outcome({ retries: false })).toBe("NETWORK_ERROR");
    expect(once.attempts()).toBe(1);
  });

  it("never lets a side request's failures open the circuit, while the flags request's failures do; an open circuit refuses both", async () => {
    const { breaker, outcome, attempts } = setUp(1);
    expect(await outcome({ side: true, retries: false })).toBe("NETWORK_ERROR");
    expect(await outcome({ side: true, retries: false })).toBe("NETWORK_ERROR");
    expect(breaker.getState()).toBe("closed");
    expect(await outcome({ side: false, retries: false })).toBe("NETWORK_ERROR");
    expect(breaker.getState()).toBe("open");
    expect(await outcome({ side: true, retries: false })).toBe("CIRCUIT_OPEN");
    expect(attempts()).toBe(3);
  });
});
