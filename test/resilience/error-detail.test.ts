import { errorBodyDetail, errorDetail, MAX_ERROR_DETAIL_LENGTH } from "../../src/resilience/error-detail";

describe("errorBodyDetail", () => {
  it.each<[string, string, string | undefined]>([
    ["the reference server's flat 401 body", '{"error":"AuthenticationError","message":"Invalid API key"}\n', "AuthenticationError: Invalid API key"],
    [
      "the reference server's simulated error",
      '{"error":{"code":"ServerError","category":"internal","message":"Service Unavailable","retryable":true}}',
      "ServerError: Service Unavailable",
    ],
    [
      "sdk-core's structured body with details",
      '{"error":{"code":"VAL_001","category":"VALIDATION","message":"Invalid user","details":"id too long","field":"id"}}',
      "VAL_001: Invalid user (id too long)",
    ],
    ["a structured body without a code", '{"error":{"message":"Nope"}}', "Nope"],
    ["a structured body without a message", '{"error":{"code":"INTERNAL_001"}}', "INTERNAL_001"],
    ["a body with only a message", '{"message":"Gone fishing"}', "Gone fishing"],
    ["a flat error without a message", '{"error":"ForbiddenError"}', "ForbiddenError"],
    ["JSON of another shape, as text", '{"status":"down"}', '{"status":"down"}'],
    ["JSON that is not an object, as text", "[1,2]", "[1,2]"],
    ["malformed JSON, as text", '{"error":', '{"error":'],
    ["Go's plain-text 404", "404 page not found\n", "404 page not found"],
    ["an HTML page, on one line", "<html>\n  <body>Bad Gateway</body>\n</html>", "<html> <body>Bad Gateway</body> </html>"],
    ["an empty body", "", undefined],
    ["a blank body", " \n\t", undefined],
  ])("describes %s", (_name, body, expected) => {
    expect(errorBodyDetail(body)).toBe(expected);
  });

  it("redacts an API key the server echoes in its message", () => {
    const detail = errorBodyDetail('{"error":"AuthenticationError","message":"Invalid API key rg_server_secret_123"}');
    expect(detail).toBe("AuthenticationError: Invalid API key [redacted]");
  });

  it("cuts a long body to the maximum length, ending in an ellipsis", () => {
    const detail = errorBodyDetail("x".repeat(10_000));
    expect(detail).toHaveLength(MAX_ERROR_DETAIL_LENGTH);
    expect(detail?.endsWith("…")).toBe(true);
  });

  it("does not parse a huge JSON body, and still cuts it", () => {
    const body = JSON.stringify({ error: "ServerError", message: "m", padding: "p".repeat(100_000) });
    expect(errorBodyDetail(body)?.startsWith('{"error":"ServerError"')).toBe(true);
  });

  it("never reveals a key that straddles the cut", () => {
    const body = `${"a".repeat(MAX_ERROR_DETAIL_LENGTH - 20)} rg_server_${"k".repeat(100)}`;
    expect(errorBodyDetail(body)).not.toContain("kkk");
  });
});

describe("errorDetail", () => {
  it("turns control characters and whitespace runs into single spaces", () => {
    expect(errorDetail("a\u0000\u0007b\r\n\tc")).toBe("a b c");
  });

  it("does not split a surrogate pair when cutting", () => {
    const text = `${"a".repeat(MAX_ERROR_DETAIL_LENGTH - 2)}😀😀😀`;
    // Cutting at 199 characters would leave half of the first emoji.
    expect(errorDetail(text)).toBe(`${"a".repeat(MAX_ERROR_DETAIL_LENGTH - 2)}…`);
  });
});
