import { NetworkError, RollgateConfigError } from "../../src/errors";
import { classifyFailure } from "../../src/resilience/classify-failure";
import { asBundlingError } from "../../src/transport/bundling-error";

// The bundle itself is tested in test/packaging/built-package.test.ts (esbuild, no banner).
describe("asBundlingError", () => {
  const dynamicRequire = new Error('Dynamic require of "node:assert" is not supported');

  it("turns esbuild's dynamic-require failure into a terminal configuration error that says the fix", () => {
    const error = asBundlingError(dynamicRequire);
    expect(error).toBeInstanceOf(RollgateConfigError);
    const configError = error as RollgateConfigError;
    expect(configError).toMatchObject({ code: "CONFIG_INVALID", option: "bundle", cause: dynamicRequire });
    expect(configError.message).toContain('"node:assert"');
    expect(configError.message).toContain("createRequire(import.meta.url)");
    expect(configError.message).toContain("--packages=external");
    // Not an outage: neither retried nor counted by the circuit breaker; background work stops.
    expect(classifyFailure(error)).toMatchObject({ retryable: false, countsForBreaker: false, terminal: true });
  });

  it("leaves every other failure as it is (a refused connection stays a network error)", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(asBundlingError(refused)).toBe(refused);
    expect(asBundlingError("Dynamic require")).toBe("Dynamic require");
    expect(classifyFailure(asBundlingError(refused)).error).toBeInstanceOf(NetworkError);
  });
});
