import { judgeFreshness, type FlagsAge } from "../../src/scope/flags-freshness";

describe("judgeFreshness: the one rule of per-request users' flags", () => {
  const bounds = { maxAgeMs: 30_000, maxStaleMs: 300_000 };
  const asked = (askedAt: number, changedSince = false): FlagsAge => ({ askedAt, changedSince });

  it.each([
    ["no server flags", undefined, 0, "expired"],
    ["asked just now", asked(0), 0, "fresh"],
    ["younger than refreshInterval", asked(0), 29_999, "fresh"],
    ["as old as refreshInterval", asked(0), 30_000, "due"],
    ["a change announced since, however young", asked(0, true), 1, "due"],
    ["just under maxStale", asked(0), 299_999, "due"],
    ["as old as maxStale", asked(0), 300_000, "expired"],
    ["changed and older than maxStale", asked(0, true), 400_000, "expired"],
  ] as const)("%s: %s", (_name, age, now, verdict) => {
    expect(judgeFreshness(age, now, bounds)).toBe(verdict);
  });

  it("keeps unchanged flags fresh forever when polling is off, and due after a change until maxStale", () => {
    const noPolling = { maxAgeMs: Number.POSITIVE_INFINITY, maxStaleMs: 300_000 };
    expect(judgeFreshness(asked(0), 10_000_000, noPolling)).toBe("fresh");
    expect(judgeFreshness(asked(0, true), 299_999, noPolling)).toBe("due");
    expect(judgeFreshness(asked(0, true), 300_000, noPolling)).toBe("expired");
  });

  it("reads only the clock it is given: a wall clock set back changes nothing", () => {
    const wallBack = jest.spyOn(Date, "now").mockReturnValue(0);
    try {
      expect(judgeFreshness(asked(1_000_000), 1_031_000, bounds)).toBe("due");
    } finally {
      wallBack.mockRestore();
    }
  });
});
