import { firstValueFrom, lastValueFrom, race, timer } from "rxjs";
import { abortable } from "../../src/resilience/abortable";
import { LeanVirtualClock } from "../support/lean-virtual-clock";

describe("abortable", () => {
  it("leaves the signal of a call that settled alone: no abort (and no AbortError built) after the fact", async () => {
    const signals: AbortSignal[] = [];
    const value = await lastValueFrom(
      abortable((signal) => {
        signals.push(signal);
        return Promise.resolve(42);
      }),
    );
    await expect(
      lastValueFrom(
        abortable((signal) => {
          signals.push(signal);
          return Promise.reject(new Error("refused"));
        }),
      ),
    ).rejects.toThrow("refused");
    expect(value).toBe(42);
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
  });

  it("aborts a call still in flight when unsubscribed", async () => {
    let seen: AbortSignal | undefined;
    const slow = abortable((signal) => {
      seen = signal;
      return new Promise<number>(() => {});
    });
    await firstValueFrom(race(slow, timer(1)));
    expect(seen?.aborted).toBe(true);
  });

  describe("with a deadline", () => {
    const deadlineOn = (clock: LeanVirtualClock) => ({ ms: 5_000, scheduler: clock.scheduler, error: () => new Error("too slow") });

    it("aborts a call still in flight at the deadline and fails with the deadline's error", async () => {
      const clock = new LeanVirtualClock();
      let seen: AbortSignal | undefined;
      const outcome = lastValueFrom(
        abortable((signal) => {
          seen = signal;
          return new Promise<number>(() => {});
        }, deadlineOn(clock)),
      );
      clock.advanceBy(4_999);
      expect(seen?.aborted).toBe(false);
      clock.advanceBy(1);
      await expect(outcome).rejects.toThrow("too slow");
      expect(seen?.aborted).toBe(true);
      expect(clock.pendingTimers).toBe(0);
    });

    it("cancels its timer when the call settles first, or is unsubscribed", async () => {
      const clock = new LeanVirtualClock();
      expect(await lastValueFrom(abortable(() => Promise.resolve(7), deadlineOn(clock)))).toBe(7);
      await expect(lastValueFrom(abortable(() => Promise.reject(new Error("refused")), deadlineOn(clock)))).rejects.toThrow("refused");
      expect(clock.pendingTimers).toBe(0);
      let seen: AbortSignal | undefined;
      const subscription = abortable((signal) => {
        seen = signal;
        return new Promise<number>(() => {});
      }, deadlineOn(clock)).subscribe({ error: () => undefined });
      expect(clock.pendingTimers).toBe(1);
      subscription.unsubscribe();
      expect(seen?.aborted).toBe(true);
      expect(clock.pendingTimers).toBe(0);
    });

    it("ignores a late answer once the deadline has failed the call", async () => {
      const clock = new LeanVirtualClock();
      let answer!: (value: number) => void;
      const values: number[] = [];
      const errors: unknown[] = [];
      abortable(() => new Promise<number>((resolve) => (answer = resolve)), deadlineOn(clock)).subscribe({ next: (v) => values.push(v), error: (e) => errors.push(e) });
      clock.advanceBy(5_000);
      answer(1);
      await Promise.resolve();
      expect(values).toEqual([]);
      expect(errors).toHaveLength(1);
    });
  });

  describe("signals of settled calls", () => {
    const signalOf = async (work: (signal: AbortSignal) => Promise<number>): Promise<AbortSignal> => {
      let seen!: AbortSignal;
      await lastValueFrom(
        abortable((signal) => {
          seen = signal;
          return work(signal);
        }),
      ).catch(() => undefined);
      return seen;
    };

    it("serve a later call once nobody listens to them, never aborted", async () => {
      const first = await signalOf(() => Promise.resolve(1));
      const second = await signalOf(() => Promise.resolve(2));
      expect(second).toBe(first);
      expect(second.aborted).toBe(false);
    });

    it("are not reused while the call left a listener on them, nor once aborted", async () => {
      const kept = await signalOf((signal) => {
        signal.addEventListener("abort", () => undefined);
        return Promise.resolve(1);
      });
      expect(await signalOf(() => Promise.resolve(2))).not.toBe(kept);
      let inFlight!: AbortSignal;
      const subscription = abortable((signal) => {
        inFlight = signal;
        return new Promise<number>(() => {});
      }).subscribe();
      subscription.unsubscribe();
      expect(inFlight.aborted).toBe(true);
      const next = await signalOf(() => Promise.resolve(3));
      expect(next).not.toBe(inFlight);
      expect(next.aborted).toBe(false);
    });

    it("are kept 16 at most, however many calls settled at once", async () => {
      /** Forty calls in flight at once, then all answered: the signals they were given. */
      const round = async (): Promise<Set<AbortSignal>> => {
        const signals = new Set<AbortSignal>();
        const answers: (() => void)[] = [];
        const calls = Array.from({ length: 40 }, () =>
          lastValueFrom(
            abortable((signal) => {
              signals.add(signal);
              return new Promise<number>((resolve) => answers.push(() => resolve(1)));
            }),
          ),
        );
        for (const answer of answers) answer();
        await Promise.all(calls);
        return signals;
      };
      await round(); // takes whatever earlier calls left spare
      const first = await round();
      const second = await round();
      expect(first.size).toBe(40);
      expect([...second].filter((signal) => first.has(signal))).toHaveLength(16);
    });
  });
});
