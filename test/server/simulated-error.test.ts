import { goStatusText, simulatedErrorBody } from "../../src/server/simulated-error";

describe("simulatedErrorBody", () => {
  it.each([
    [400, "ValidationError", "Bad Request", false],
    [401, "AuthenticationError", "Unauthorized", false],
    [403, "ForbiddenError", "Forbidden", false],
    [404, "NotFoundError", "Not Found", false],
    [429, "RateLimitError", "Too Many Requests", true],
    [500, "ServerError", "Internal Server Error", true],
    [503, "ServerError", "Service Unavailable", true],
    [418, "ServerError", "I'm a teapot", false],
    [200, "ServerError", "OK", false],
  ])("status %i is code %s with the status text as message, retryable %s", (status, code, message, retryable) => {
    expect(simulatedErrorBody(status)).toBe(
      `{"error":{"code":"${code}","category":"internal","message":${JSON.stringify(message)},"retryable":${retryable}}}`,
    );
  });

  it("uses the configured message when there is one", () => {
    expect(JSON.parse(simulatedErrorBody(503, "maintenance"))).toEqual({
      error: { code: "ServerError", category: "internal", message: "maintenance", retryable: true },
    });
  });
});

describe("goStatusText", () => {
  it("uses Go's wording where it differs from Node's", () => {
    expect(goStatusText(413)).toBe("Request Entity Too Large");
  });
});
