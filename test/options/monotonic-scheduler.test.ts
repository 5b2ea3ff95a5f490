import { asyncScheduler } from "rxjs";
import { monotonicNow, monotonicScheduler } from "../../src/options/monotonic-scheduler";
import { resolveOptions } from "../../src/client/resolve-options";

describe("monotonicScheduler: the client's default clock", () => {
  it("is the default scheduler of every client", () => {
    expect(resolveOptions({ apiKey: "rg_server_test" }).scheduler).toBe(monotonicScheduler);
  });

  it("does not follow the wall clock when it is set back 600 s (or forward)", () => {
    const before = monotonicScheduler.now();
    const wall = jest.spyOn(Date, "now").mockReturnValue(Date.now() - 600_000);
    try {
      const during = monotonicScheduler.now();
      expect(during).toBeGreaterThanOrEqual(before);
      expect(during - before).toBeLessThan(1_000);
      wall.mockReturnValue(Date.now() + 3_600_000);
      expect(monotonicScheduler.now() - during).toBeLessThan(1_000);
    } finally {
      wall.mockRestore();
    }
  });

  it("reads as epoch milliseconds (a date for lastUpdated and log lines), close to the wall clock", () => {
    expect(Math.abs(monotonicNow() - asyncScheduler.now())).toBeLessThan(60_000);
  });
});
