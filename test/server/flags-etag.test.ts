import { computeFlagsETag } from "../../src/server/flags-etag";

describe("computeFlagsETag", () => {
  it("gives the reference value for the empty flag set", () => {
    expect(computeFlagsETag("{}")).toBe('"44136fa355b3678a"');
  });

  it("is a quoted 16-hex-character prefix of SHA-256 over the flags JSON", () => {
    // Computed independently: printf '%s' '{"a":true,"b":false}' | sha256sum
    expect(computeFlagsETag('{"a":true,"b":false}')).toBe('"cf5ce5d22cc0da3c"');
    expect(computeFlagsETag('{"a":true,"b":false}')).not.toBe(computeFlagsETag('{"a":true,"b":true}'));
  });
});
