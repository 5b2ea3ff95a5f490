import { asyncScheduler } from "rxjs";
import { RollgateClient, RollgateConfigError, type RollgateOptions } from "rollgate";
import { TestData } from "rollgate/testing";
import { resolveOptions } from "../../src/options/resolve-options";

const KEY = "rg_server_secret_0123456789";

describe("resolveOptions", () => {
  it("applies the seed's defaults (seconds) and the defaults of every part", () => {
    const options = resolveOptions({ apiKey: KEY });
    expect(options).toMatchObject({
      apiKey: KEY,
      baseUrl: "https://api.rollgate.io",
      streamUrl: "https://api.rollgate.io",
      refreshInterval: 30,
      enableStreaming: false,
      timeout: 5,
      initTimeout: 10,
      streamReadTimeout: 300,
      retry: { maxRetries: 3, baseDelay: 0.1, maxDelay: 10 },
      circuitBreaker: { failureThreshold: 5, resetTimeout: 30 },
      cache: { ttl: 300, maxAge: 86_400 },
    });
    expect(options.scheduler).toBe(asyncScheduler);
  });

  it("turns polling, streaming and the cache file off for testData, unless a cache is asked for", () => {
    const testData = new TestData();
    expect(resolveOptions({ apiKey: KEY, testData, refreshInterval: 5, enableStreaming: true, cache: { ttl: 1 } })).toMatchObject({
      testData,
      refreshInterval: 0,
      enableStreaming: false,
      cache: { ttl: 1 },
    });
    expect(resolveOptions({ apiKey: KEY, testData })).toMatchObject({ refreshInterval: 0, enableStreaming: false, cache: false });
    expect(resolveOptions({ apiKey: KEY })).toMatchObject({ testData: undefined });
  });

  it("strips trailing slashes and lets streamUrl default to baseUrl", () => {
    expect(resolveOptions({ apiKey: KEY, baseUrl: "http://127.0.0.1:8787/" })).toMatchObject({
      baseUrl: "http://127.0.0.1:8787",
      streamUrl: "http://127.0.0.1:8787",
    });
    expect(resolveOptions({ apiKey: KEY, streamUrl: "https://stream.example.test" }).streamUrl).toBe("https://stream.example.test");
  });

  it("turns the cache off with cache: false", () => {
    expect(resolveOptions({ apiKey: KEY, cache: false }).cache).toBe(false);
  });

  it("never mutates the caller's object", () => {
    const input = Object.freeze({ apiKey: KEY, user: Object.freeze({ id: "u" }), retry: Object.freeze({ maxRetries: 1 }) });
    expect(() => resolveOptions(input)).not.toThrow();
  });

  const invalid: ReadonlyArray<[string, unknown, string, RegExp]> = [
    ["no options", undefined, "options", /options object/],
    ["a missing key", {}, "apiKey", /expected the API key/],
    ["an empty key", { apiKey: "" }, "apiKey", /non-empty/],
    ["a key with spaces", { apiKey: " rg_server_x" }, "apiKey", /whitespace/],
    ["a relative baseUrl", { apiKey: KEY, baseUrl: "/api" }, "baseUrl", /absolute http\(s\) URL.*got "\/api"/],
    ["an ftp baseUrl", { apiKey: KEY, baseUrl: "ftp://x.test" }, "baseUrl", /http\(s\)/],
    ["a negative refreshInterval", { apiKey: KEY, refreshInterval: -1 }, "refreshInterval", /got -1/],
    ["a string refreshInterval", { apiKey: KEY, refreshInterval: "30" }, "refreshInterval", /seconds.*got "30"/],
    ["a zero timeout", { apiKey: KEY, timeout: 0 }, "timeout", /positive/],
    ["an infinite initTimeout", { apiKey: KEY, initTimeout: Infinity }, "initTimeout", /seconds/],
    ["a non-boolean enableStreaming", { apiKey: KEY, enableStreaming: "yes" }, "enableStreaming", /true or false/],
    ["a user without id", { apiKey: KEY, user: { email: "a@b.c" } }, "user.id", /string id/],
    ["a user with a function attribute", { apiKey: KEY, user: { id: "u", attributes: { f: () => 1 } } }, "user.attributes", /JSON values/],
    ["a fractional maxPayloadBytes", { apiKey: KEY, maxPayloadBytes: 1.5 }, "maxPayloadBytes", /whole number/],
    ["a scheduler without now()", { apiKey: KEY, scheduler: {} }, "scheduler", /SchedulerLike/],
    ["a dispatcher without dispatch()", { apiKey: KEY, dispatcher: {} }, "dispatcher", /Dispatcher/],
    ["a negative retry count", { apiKey: KEY, retry: { maxRetries: -1 } }, "retry.maxRetries", /.+/],
    ["a typo in retry", { apiKey: KEY, retry: { maxRetry: 1 } }, "retry", /.+/],
    ["an unknown top-level option", { apiKey: KEY, refreshIntervall: 60 }, "options", /refreshIntervall/],
    ["a zero failureThreshold", { apiKey: KEY, circuitBreaker: { failureThreshold: 0 } }, "circuitBreaker.failureThreshold", /.+/],
    ["a cache with dir and store", { apiKey: KEY, cache: { dir: "/tmp/x", store: { load: () => 1, save: () => 1 } } }, "cache.dir", /either dir/],
  ];

  it.each(invalid)("rejects %s with a RollgateConfigError naming the option", (_name, input, option, message) => {
    let error: unknown;
    try {
      resolveOptions(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RollgateConfigError);
    expect(error).toMatchObject({ code: "CONFIG_INVALID", option });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(KEY);
  });

  it("never puts the API key in the message, even when the key itself is what is wrong", () => {
    const badKey = "rg_server_has a space";
    expect(() => resolveOptions({ apiKey: badKey })).toThrow(RollgateConfigError);
    try {
      resolveOptions({ apiKey: badKey });
    } catch (e) {
      expect((e as Error).message).not.toContain("has a space");
    }
  });
});

describe("new RollgateClient", () => {
  it("fails fast in the constructor on a bad option", () => {
    expect(() => new RollgateClient({ apiKey: KEY, timeout: -5 } as RollgateOptions)).toThrow(RollgateConfigError);
  });

  it("warns when a key would travel over plain http to a non-loopback host", async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m) };
    await new RollgateClient({ apiKey: KEY, baseUrl: "http://flags.internal.test", cache: false, logger }).close();
    await new RollgateClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:1", cache: false, logger }).close();
    await new RollgateClient({ apiKey: KEY, baseUrl: "http://localhost:1", cache: false, logger }).close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/plain http/);
    expect(warnings[0]).not.toContain(KEY);
  });
});
