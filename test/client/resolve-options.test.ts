import { RollgateClient, RollgateConfigError, type RollgateOptions } from "rollgate";
import { TestData } from "rollgate/testing";
import { monotonicScheduler } from "../../src/options/monotonic-scheduler";
import { resolveOptions } from "../../src/client/resolve-options";

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
      connections: 64,
      users: { maxUsers: 1_000, idleTimeout: 600, persist: false, revalidate: "background", maxStale: 300, maxPending: 2_000 },
    });
    // asyncScheduler's timers with a monotonic now(): a wall-clock jump moves no age or deadline.
    expect(options.scheduler).toBe(monotonicScheduler);
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
    ["a zero timeout", { apiKey: KEY, timeout: 0 }, "timeout", /at least/],
    ["an infinite initTimeout", { apiKey: KEY, initTimeout: Infinity }, "initTimeout", /seconds/],
    ["a non-boolean enableStreaming", { apiKey: KEY, enableStreaming: "yes" }, "enableStreaming", /true or false/],
    ["a user without id", { apiKey: KEY, user: { email: "a@b.c" } }, "user.id", /string id/],
    ["a user with a function attribute", { apiKey: KEY, user: { id: "u", attributes: { f: () => 1 } } }, "user.attributes", /JSON values/],
    ["a fractional maxPayloadBytes", { apiKey: KEY, maxPayloadBytes: 1.5 }, "maxPayloadBytes", /whole number/],
    ["a scheduler without now()", { apiKey: KEY, scheduler: {} }, "scheduler", /SchedulerLike/],
    ["an object refreshInterval", { apiKey: KEY, refreshInterval: { seconds: 30 } }, "refreshInterval", /; got an object\.$/],
    ["an array timeout", { apiKey: KEY, timeout: [5] }, "timeout", /; got an array\.$/],
    ["a function enableStreaming", { apiKey: KEY, enableStreaming: () => true }, "enableStreaming", /; got a function\.$/],
    ["a dispatcher without dispatch()", { apiKey: KEY, dispatcher: {} }, "dispatcher", /Dispatcher/],
    ["a negative retry count", { apiKey: KEY, retry: { maxRetries: -1 } }, "retry.maxRetries", /.+/],
    ["a typo in retry", { apiKey: KEY, retry: { maxRetry: 1 } }, "retry", /.+/],
    ["an unknown top-level option", { apiKey: KEY, refreshIntervall: 60 }, "options", /refreshIntervall/],
    ["a zero failureThreshold", { apiKey: KEY, circuitBreaker: { failureThreshold: 0 } }, "circuitBreaker.failureThreshold", /.+/],
    ["a zero circuitBreaker.resetTimeout", { apiKey: KEY, circuitBreaker: { resetTimeout: 0 } }, "circuitBreaker.resetTimeout", /^Invalid option circuitBreaker\.resetTimeout: expected a reset timeout of at least 0\.01 s; got 0\.$/],
    ["a negative retry.baseDelay", { apiKey: KEY, retry: { baseDelay: -1 } }, "retry.baseDelay", /^Invalid option retry\.baseDelay: expected a backoff base of at least 0 s; got -1\.$/],
    ["a retry.maxDelay in milliseconds", { apiKey: KEY, retry: { maxDelay: 4000 } }, "retry.maxDelay", /: expected a backoff cap of at most 3600 s; durations are in seconds, not milliseconds; got 4000\.$/],
    ["a zero connections", { apiKey: KEY, connections: 0 }, "connections", /at least 1 connection/],
    ["a fractional connections", { apiKey: KEY, connections: 2.5 }, "connections", /whole number of connections/],
    ["an unknown users.revalidate", { apiKey: KEY, users: { revalidate: "never" } }, "users.revalidate", /"background" or "wait"/],
    ["a users.maxStale in milliseconds", { apiKey: KEY, users: { maxStale: 3_000_000 } }, "users.maxStale", /seconds, not milliseconds/],
    ["a zero users.maxPending", { apiKey: KEY, users: { maxPending: 0 } }, "users.maxPending", /at least 1 request/],
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

// Issue 13 item 10: a URL with credentials printed its password in every stream error; a key
// with a control or non-Latin-1 character failed forever as a retried network error.
describe("credentials in URLs and unusable keys", () => {
  const PASSWORD = "s3cr3t-pa55";

  function rejection(input: Record<string, unknown>): RollgateConfigError {
    try {
      resolveOptions(input);
    } catch (error) {
      if (error instanceof RollgateConfigError) return error;
      throw error;
    }
    throw new Error("accepted");
  }

  it.each([
    ["baseUrl", `https://user:${PASSWORD}@flags.example.test`],
    ["baseUrl", `http://${PASSWORD}@127.0.0.1:8787`],
    ["streamUrl", `https://user:${PASSWORD}@stream.example.test/`],
  ])("rejects a %s with credentials, never printing them", (option, url) => {
    const error = rejection({ apiKey: KEY, [option]: url });
    expect(error.option).toBe(option);
    expect(error.message).toMatch(/credentials/);
    expect(error.message).not.toContain(PASSWORD);
    expect(JSON.stringify(error)).not.toContain(PASSWORD);
  });

  it.each([
    ["a NUL", "rg_server_abc\u0000def"],
    ["a newline", "rg_server_abc\ndef"],
    ["a DEL", "rg_server_abc\u007fdef"],
    ["a C1 control", "rg_server_abc\u0085def"],
    ["a non-Latin-1 letter", "rg_server_abcđef"],
    ["an emoji", "rg_server_abc😀def"],
    ["a zero-width space", "rg_server_abc\u200bdef"],
  ])("rejects a key with %s up front, without echoing it", (_name, key) => {
    const error = rejection({ apiKey: key });
    expect(error.option).toBe("apiKey");
    expect(error.message).toMatch(/printable/);
    expect(error.message).not.toContain("abc");
  });

  it("never echoes the key when it was given to another option by mistake", () => {
    for (const apiKey of [KEY, "opaque-key-without-prefix-42"]) {
      const error = rejection({ apiKey, streamUrl: apiKey });
      expect(error.option).toBe("streamUrl");
      expect(error.message).not.toContain(apiKey);
    }
  });

  it("accepts the key formats of the docs and Latin-1 letters", () => {
    for (const apiKey of ["rg_server_0123456789abcdef", "sb_server_a.b-c~d", "clé-été"]) {
      expect(resolveOptions({ apiKey }).apiKey).toBe(apiKey);
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
