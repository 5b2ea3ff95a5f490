import { cacheFreshness, type CacheFreshness } from "../../src/cache/cache-freshness";

const SAVED_AT = 1_700_000_000_000;
const TTL = 300;
const MAX_AGE = 86_400;

describe("cacheFreshness", () => {
  it.each<[string, number, CacheFreshness]>([
    ["just saved", 0, "fresh"],
    ["one ms before ttl", TTL * 1000 - 1, "fresh"],
    ["exactly ttl old", TTL * 1000, "fresh"],
    ["one ms past ttl", TTL * 1000 + 1, "stale"],
    ["exactly maxAge old", MAX_AGE * 1000, "stale"],
    ["one ms past maxAge", MAX_AGE * 1000 + 1, "expired"],
    ["saved slightly in the future (clock skew within ttl)", -(TTL * 1000), "fresh"],
    ["saved past ttl in the future", -(TTL * 1000 + 1), "stale"],
    ["saved past maxAge in the future", -(MAX_AGE * 1000 + 1), "expired"],
  ])("an entry %s is %s", (_when, ageMs, expected) => {
    expect(cacheFreshness(SAVED_AT, SAVED_AT + ageMs, TTL, MAX_AGE)).toBe(expected);
  });

  it("goes straight from fresh to expired when maxAge is below ttl", () => {
    expect(cacheFreshness(0, 60_000, 300, 60)).toBe("fresh");
    expect(cacheFreshness(0, 60_001, 300, 60)).toBe("expired");
  });

  it("treats every entry as stale when ttl is 0, until maxAge", () => {
    expect(cacheFreshness(0, 1, 0, 10)).toBe("stale");
    expect(cacheFreshness(0, 0, 0, 10)).toBe("fresh");
  });

  it("treats a non-numeric age as expired", () => {
    expect(cacheFreshness(Number.NaN, 0, TTL, MAX_AGE)).toBe("expired");
  });
});
