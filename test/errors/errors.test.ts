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
  RollgateError,
  ServerError,
  TimeoutError,
} from "rollgate";

const cases: ReadonlyArray<[RollgateError, string, string, boolean]> = [
  [new RollgateConfigError("timeout", "timeout must be a positive number of seconds; got -1."), "RollgateConfigError", "CONFIG_INVALID", false],
  [new AuthenticationError(401), "AuthenticationError", "AUTH_FAILED", false],
  [new AuthenticationError(403), "AuthenticationError", "AUTH_FAILED", false],
  [new RateLimitError(7), "RateLimitError", "RATE_LIMITED", true],
  [new ServerError(503, "Service Unavailable"), "ServerError", "SERVER_ERROR", true],
  [new RequestError(400, "Bad Request"), "RequestError", "REQUEST_REJECTED", false],
  [new NetworkError("connect ECONNREFUSED 127.0.0.1:9"), "NetworkError", "NETWORK_ERROR", true],
  [new TimeoutError(5), "TimeoutError", "TIMEOUT", true],
  [new PayloadError("GET /api/v1/sdk/v2/flags", [{ path: "flags", message: "expected object" }]), "PayloadError", "PAYLOAD_INVALID", true],
  [new CircuitOpenError(), "CircuitOpenError", "CIRCUIT_OPEN", true],
  [new ClientClosedError("identify()"), "ClientClosedError", "CLIENT_CLOSED", false],
  [new CacheError("Could not write the cache file."), "CacheError", "CACHE_ERROR", false],
];

describe("error classes", () => {
  it.each(cases)("%p has its name, a stable code and a retryable flag", (error, name, code, retryable) => {
    expect(error).toBeInstanceOf(RollgateError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    // Messages are full sentences that end with advice.
    expect(error.message).toMatch(/\.$/);
    expect(error.message.length).toBeGreaterThan(30);
  });

  it("keeps the cause it was given", () => {
    const cause = new Error("socket hang up");
    expect(new NetworkError("socket hang up", { cause }).cause).toBe(cause);
  });

  it("names the first payload issue and counts the rest", () => {
    const error = new PayloadError("GET /flags", [
      { path: "flags.a", message: "expected boolean" },
      { path: "flags.b", message: "expected boolean" },
    ]);
    expect(error.message).toContain("flags.a: expected boolean");
    expect(error.message).toContain("1 more issues");
  });
});
