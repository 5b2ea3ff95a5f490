import { DEFAULT_RETRY_OPTIONS, resolveRetryOptions, retryOptionsSchema } from "../../src/resilience/retry-options";
import { MAX_TIMER_SECONDS } from "../../src/options/max-timer-seconds";

describe("retry options", () => {
  it("default to 3 retries from 0.1 s, capped at 10 s", () => {
    expect(DEFAULT_RETRY_OPTIONS).toEqual({ maxRetries: 3, baseDelay: 0.1, maxDelay: 10 });
    expect(Object.isFrozen(DEFAULT_RETRY_OPTIONS)).toBe(true);
  });

  it("fill in defaults without touching the caller's object", () => {
    const given = Object.freeze({ maxRetries: 0 });
    expect(resolveRetryOptions(given)).toEqual({ maxRetries: 0, baseDelay: 0.1, maxDelay: 10 });
    expect(given).toEqual({ maxRetries: 0 });
    expect(resolveRetryOptions()).toEqual(DEFAULT_RETRY_OPTIONS);
  });

  it.each<[string, unknown]>([
    ["no options", {}],
    ["zero retries", { maxRetries: 0 }],
    ["a hundred retries", { maxRetries: 100 }],
    ["fractional delays", { baseDelay: 0.05, maxDelay: 2.5 }],
    ["zero delays", { baseDelay: 0, maxDelay: 0 }],
    ["a cap of an hour, as long as a Retry-After may ask", { maxDelay: 3600 }],
    ["explicit undefined", { maxRetries: undefined }],
  ])("accept %s", (_name, value) => {
    expect(retryOptionsSchema.safeParse(value).success).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ["negative retries", { maxRetries: -1 }, "maxRetries"],
    ["fractional retries", { maxRetries: 1.5 }, "maxRetries"],
    ["too many retries", { maxRetries: 101 }, "maxRetries"],
    ["a retry count as a string", { maxRetries: "3" }, "maxRetries"],
    ["a negative base delay", { baseDelay: -0.1 }, "baseDelay"],
    ["a NaN base delay", { baseDelay: Number.NaN }, "baseDelay"],
    ["an infinite max delay", { maxDelay: Number.POSITIVE_INFINITY }, "maxDelay"],
    ["a max delay beyond what a timer can wait", { maxDelay: MAX_TIMER_SECONDS + 1 }, "maxDelay"],
    ["a misspelt option", { maxRetry: 3 }, ""],
  ])("reject %s, naming the option", (_name, value, path) => {
    const result = retryOptionsSchema.safeParse(value);
    expect(result.success).toBe(false);
    if (path !== "") expect(result.error?.issues[0]?.path).toEqual([path]);
    else expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
});
