import { cacheKey } from "../../src/cache/cache-key";

const BASE = "https://api.rollgate.io";
const API_KEY = "rg_server_0123456789abcdef";

describe("cacheKey", () => {
  it("is stable for the same server, key and user", () => {
    expect(cacheKey(BASE, API_KEY, "user-1")).toBe(cacheKey(BASE, API_KEY, "user-1"));
  });

  it("is `flags-` followed by 32 hex characters", () => {
    expect(cacheKey(BASE, API_KEY, "user-1")).toMatch(/^flags-[0-9a-f]{32}$/);
  });

  it.each<[string, [string, string, string | undefined], [string, string, string | undefined]]>([
    ["base URL", [BASE, API_KEY, "u"], ["https://eu.rollgate.io", API_KEY, "u"]],
    ["API key", [BASE, API_KEY, "u"], [BASE, `${API_KEY}x`, "u"]],
    ["user id", [BASE, API_KEY, "u1"], [BASE, API_KEY, "u2"]],
    ["no user versus the anonymous user", [BASE, API_KEY, undefined], [BASE, API_KEY, ""]],
    ["split between key and user", [BASE, "ab", "c"], [BASE, "a", "bc"]],
    ["split between URL and key", ["http://h/a", "b", "u"], ["http://h/", "ab", "u"]],
  ])("differs when the %s differs", (_what, first, second) => {
    expect(cacheKey(...first)).not.toBe(cacheKey(...second));
  });

  it("ignores trailing slashes of the base URL", () => {
    expect(cacheKey(`${BASE}/`, API_KEY, "u")).toBe(cacheKey(BASE, API_KEY, "u"));
  });

  it("contains neither the API key nor the user id", () => {
    const key = cacheKey(BASE, "rg_server_secret", "user-zoe");
    expect(key).not.toContain("rg_server_secret");
    expect(key).not.toContain("user-zoe");
  });
});
