import {
  AuthenticationError,
  CacheError,
  CircuitOpenError,
  ClientClosedError,
  NetworkError,
  PayloadError,
  RateLimitError,
  RequestError,
  RollgateConfigError,
  type RollgateError,
  ServerError,
  TimeoutError,
} from "../../src/errors";
import { classifyFailure, httpFailureToError } from "../../src/resilience/classify-failure";

const NOW = Date.UTC(2026, 0, 1);

type ErrorClass = abstract new (...args: never[]) => RollgateError;

function expectedClassFor(status: number): ErrorClass {
  if (status === 401 || status === 403) return AuthenticationError;
  if (status === 429) return RateLimitError;
  if (status === 408 || status >= 500) return ServerError;
  return RequestError;
}

const everyErrorStatus = Array.from({ length: 200 }, (_, i) => 400 + i);

describe("httpFailureToError", () => {
  it.each(everyErrorStatus)("classifies HTTP %i by its status class", (status) => {
    const error = httpFailureToError(status, null, "", NOW);
    expect(error).toBeInstanceOf(expectedClassFor(status));
    expect((error as RollgateError & { status: number }).status).toBe(status);
  });

  it.each<[string, number, ErrorClass, boolean]>([
    ["400 Bad Request is rejected, not retried", 400, RequestError, false],
    ["401 is an authentication error", 401, AuthenticationError, false],
    ["402 is rejected", 402, RequestError, false],
    ["403 is an authentication error", 403, AuthenticationError, false],
    ["404 is rejected", 404, RequestError, false],
    ["407 is rejected", 407, RequestError, false],
    ["408 Request Timeout is a retryable server error", 408, ServerError, true],
    ["409 is rejected", 409, RequestError, false],
    ["428 is rejected", 428, RequestError, false],
    ["429 is rate limiting", 429, RateLimitError, true],
    ["430 is rejected", 430, RequestError, false],
    ["499 is rejected", 499, RequestError, false],
    ["500 is a server error", 500, ServerError, true],
    ["503 is a server error", 503, ServerError, true],
    ["599 is a server error", 599, ServerError, true],
    ["a non-standard 600 is a server error", 600, ServerError, true],
    ["an unexpected 302 is rejected (check baseUrl)", 302, RequestError, false],
    ["an unexpected 200 is rejected", 200, RequestError, false],
  ])("%s", (_name, status, errorClass, retryable) => {
    const error = httpFailureToError(status, null, "", NOW);
    expect(error).toBeInstanceOf(errorClass);
    expect(classifyFailure(error).retryable).toBe(retryable);
  });

  it("lets the status win over a body that claims otherwise", () => {
    const body = '{"error":{"code":"RateLimitError","message":"slow down","retryable":true}}';
    expect(httpFailureToError(401, "30", body, NOW)).toBeInstanceOf(AuthenticationError);
    expect(httpFailureToError(500, null, '{"error":"AuthenticationError","message":"Invalid API key"}', NOW)).toBeInstanceOf(ServerError);
  });

  it.each<[number, string | null, number | undefined]>([
    [429, "30", 30],
    [429, "Thu, 01 Jan 2026 00:00:45 GMT", 45],
    [429, null, undefined],
    [429, "later", undefined],
    [503, "12", 12],
    [503, null, undefined],
    // Retry-After is honoured on 429 and 503 only.
    [500, "12", undefined],
    [408, "12", undefined],
  ])("on HTTP %i with Retry-After %p, asks to wait %p seconds", (status, header, retryAfter) => {
    const error = httpFailureToError(status, header, "", NOW) as RateLimitError | ServerError;
    expect(error.retryAfter).toBe(retryAfter);
    expect(classifyFailure(error).retryAfter).toBe(retryAfter);
  });

  it("adds the body's code and message to a server error", () => {
    const error = httpFailureToError(503, null, '{"error":{"code":"ServerError","category":"internal","message":"Maintenance","retryable":true}}', NOW);
    expect(error.message).toContain("HTTP 503 (ServerError: Maintenance)");
  });

  it("adds plain-text bodies to a rejected request", () => {
    expect(httpFailureToError(404, null, "404 page not found\n", NOW).message).toContain("HTTP 404 (404 page not found)");
  });

  it("never carries a server-echoed key into the message", () => {
    const body = '{"error":{"code":"ServerError","message":"key rg_server_secret was refused; token sb_server_s3cr3t; Bearer opaque-key"}}';
    const error = httpFailureToError(500, null, body, NOW);
    expect(error.message).not.toMatch(/rg_server_secret|sb_server_s3cr3t|opaque-key/);
    expect(error.message).toContain("[redacted]");
  });

  it("keeps messages short whatever the body's size", () => {
    const error = httpFailureToError(502, null, `<html>${"Bad Gateway ".repeat(10_000)}</html>`, NOW);
    expect(error.message.length).toBeLessThan(400);
  });
});

interface Expected {
  readonly retryable: boolean;
  readonly countsForBreaker: boolean;
  readonly serverAnswered: boolean;
  readonly terminal: boolean;
}

const policy = (retryable: boolean, countsForBreaker: boolean, serverAnswered: boolean, terminal: boolean): Expected => ({
  retryable,
  countsForBreaker,
  serverAnswered,
  terminal,
});

describe("classifyFailure", () => {
  it.each<[string, RollgateError, Expected]>([
    ["a 401 is terminal, not retried and not a breaker failure", new AuthenticationError(401), policy(false, false, true, true)],
    ["a 403 is terminal, not retried and not a breaker failure", new AuthenticationError(403), policy(false, false, true, true)],
    ["a rejected request is not retried and proves the server answers", new RequestError(404, undefined), policy(false, false, true, false)],
    ["rate limiting is retried and counts for the breaker", new RateLimitError(5), policy(true, true, true, false)],
    ["a server error is retried and counts for the breaker", new ServerError(503, undefined), policy(true, true, true, false)],
    ["a 408 is retried and counts for the breaker", new ServerError(408, undefined), policy(true, true, true, false)],
    ["a network error is retried and counts for the breaker", new NetworkError("socket hang up"), policy(true, true, false, false)],
    ["a timeout is retried and counts for the breaker", new TimeoutError(5), policy(true, true, false, false)],
    ["a bad payload is not retried now and is no breaker failure", new PayloadError("GET /flags", []), policy(false, false, true, false)],
    ["an open circuit is not retried and is no evidence", new CircuitOpenError(), policy(false, false, false, false)],
    ["a closed client is terminal", new ClientClosedError("refresh()"), policy(false, false, false, true)],
    ["an invalid configuration is terminal", new RollgateConfigError("timeout", "timeout must be positive."), policy(false, false, false, true)],
    ["a cache error is neither retried nor counted", new CacheError("Could not write the cache."), policy(false, false, false, false)],
  ])("%s", (_name, error, expected) => {
    const failure = classifyFailure(error);
    expect(failure.error).toBe(error);
    expect({
      retryable: failure.retryable,
      countsForBreaker: failure.countsForBreaker,
      serverAnswered: failure.serverAnswered,
      terminal: failure.terminal,
    }).toEqual(expected);
  });

  it("omits retryAfter when the server did not ask for a wait", () => {
    expect(classifyFailure(new RateLimitError(undefined))).not.toHaveProperty("retryAfter");
    expect(classifyFailure(new NetworkError("x"))).not.toHaveProperty("retryAfter");
  });

  it.each<[string, unknown, string]>([
    ["a TypeError from fetch, with its cause", Object.assign(new TypeError("fetch failed"), { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") }), "fetch failed: connect ECONNREFUSED 127.0.0.1:9"],
    ["an AbortError", new DOMException("This operation was aborted", "AbortError"), "This operation was aborted"],
    ["an AbortSignal timeout", new DOMException("The operation was aborted due to timeout", "TimeoutError"), "aborted due to timeout"],
    ["an error without a message", new RangeError(), "RangeError"],
    ["a thrown string", "boom", "boom"],
    ["a thrown number", 42, "unknown failure"],
    ["undefined", undefined, "unknown failure"],
  ])("turns %s into a retryable NetworkError", (_name, thrown, detail) => {
    const failure = classifyFailure(thrown);
    expect(failure.error).toBeInstanceOf(NetworkError);
    expect(failure.error.message).toContain(detail);
    expect(failure.error.cause).toBe(thrown);
    expect(failure).toMatchObject({ retryable: true, countsForBreaker: true, serverAnswered: false, terminal: false });
  });

  it.each<[string, unknown, string]>([
    ["an error without a cause", new Error("socket hang up"), "socket hang up"],
    ["an error whose message already names its cause", Object.assign(new Error("fetch failed: connect ECONNREFUSED"), { cause: new Error("connect ECONNREFUSED") }), "fetch failed: connect ECONNREFUSED"],
    ["an error whose cause has no message", Object.assign(new Error("fetch failed"), { cause: {} }), "fetch failed"],
    ["null", null, "unknown failure"],
    ["an object whose message is not text", { message: 42 }, "unknown failure"],
    ["an object with a cause but no message of its own", { cause: new Error("connect ECONNREFUSED") }, "unknown failure"],
    ["an error whose message is blank", new Error(" \n "), "unknown failure"],
  ])("words the NetworkError for %s exactly", (_name, thrown, detail) => {
    const failure = classifyFailure(thrown);
    expect(failure.error.message).toBe(`Could not reach Rollgate: ${detail}. The client keeps serving its last flags and retries with backoff.`);
    expect(failure.error.cause).toBe(thrown);
  });

  it("redacts a key from a foreign error's message, such as a stream URL", () => {
    const failure = classifyFailure(new Error("GET https://api.rollgate.io/api/v1/sdk/stream?token=rg_live_abc123 failed"));
    expect(failure.error.message).not.toContain("rg_live_abc123");
    expect(failure.error.message).toContain("token=[redacted]");
  });
});
