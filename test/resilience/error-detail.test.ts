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
    ["a flat body whose error is null: the message", '{"error":null,"message":"Bad request"}', "Bad request"],
    ["a JSON body after blank lines (a proxy's)", '\n\n  {"error":"AuthenticationError","message":"Invalid API key"}', "AuthenticationError: Invalid API key"],
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

describe("error details at their edges (issue 25: each fails on a mutant of src/resilience/error-detail.ts)", () => {
  it.each<[string, string, string | undefined]>([
    ["a structured body with only details", '{"error":{"details":"id too long"}}', "id too long"],
    ["a structured body with an empty code", '{"error":{"code":"","message":"Nope"}}', "Nope"],
    ["a structured body with an empty message", '{"error":{"code":"E1","message":""}}', "E1"],
    ["a flat body with an empty error", '{"error":"","message":"Gone fishing"}', "Gone fishing"],
    ["a flat body with an empty message", '{"error":"ForbiddenError","message":""}', "ForbiddenError"],
    ["a body whose error is neither text nor an object", '{"error":42,"message":"Gone fishing"}', "Gone fishing"],
  ])("describes %s", (_name, body, expected) => {
    expect(errorBodyDetail(body)).toBe(expected);
  });

  it("parses a JSON body of exactly 16 KiB, and takes one byte more as text", () => {
    const body = (length: number) => {
      const bare = JSON.stringify({ error: "ServerError", message: "m", padding: "" });
      return JSON.stringify({ error: "ServerError", message: "m", padding: "p".repeat(length - bare.length) });
    };
    expect(body(16 * 1024)).toHaveLength(16 * 1024);
    expect(errorBodyDetail(body(16 * 1024))).toBe("ServerError: m");
    expect(errorBodyDetail(body(16 * 1024 + 1))?.startsWith('{"error":"ServerError"')).toBe(true);
  });

  it("keeps a text of exactly the maximum length whole, and cuts one character more", () => {
    const exact = "x".repeat(MAX_ERROR_DETAIL_LENGTH);
    expect(errorDetail(exact)).toBe(exact);
    expect(errorDetail(`${exact}y`)).toBe(`${"x".repeat(MAX_ERROR_DETAIL_LENGTH - 1)}…`);
  });

  it("looks at only the first 800 characters of foreign text", () => {
    // 799 spaces collapse to nothing; what follows the 800th character is never read.
    expect(errorDetail(`${" ".repeat(799)}a${"b".repeat(1_000)}`)).toBe("a");
  });

  it.each<[string, string, string]>([
    // The character before the cut is a high surrogate at each end of the range: the pair goes whole.
    ["U+10000 (high surrogate 0xD800)", "\u{10000}", `${"a".repeat(MAX_ERROR_DETAIL_LENGTH - 2)}…`],
    ["U+10FFFF (high surrogate 0xDBFF)", "\u{10FFFF}", `${"a".repeat(MAX_ERROR_DETAIL_LENGTH - 2)}…`],
  ])("does not split %s at the cut", (_name, pair, expected) => {
    expect(errorDetail(`${"a".repeat(MAX_ERROR_DETAIL_LENGTH - 2)}${pair}bbbb`)).toBe(expected);
  });

  it("keeps a pair that ends just before the cut, and cuts plain text after a pair at the usual place", () => {
    // The pair takes characters 197 and 198: the character before the cut is its low half.
    const pairBefore = `${"a".repeat(MAX_ERROR_DETAIL_LENGTH - 3)}😀${"b".repeat(10)}`;
    expect(errorDetail(pairBefore)).toBe(`${"a".repeat(MAX_ERROR_DETAIL_LENGTH - 3)}😀…`);
    // A pair just after the cut does not move it.
    const pairAfter = `${"a".repeat(MAX_ERROR_DETAIL_LENGTH)}😀`;
    expect(errorDetail(pairAfter)).toBe(`${"a".repeat(MAX_ERROR_DETAIL_LENGTH - 1)}…`);
  });
});
