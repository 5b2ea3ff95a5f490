import { firstValueFrom, lastValueFrom, race, timer } from "rxjs";
import { abortable } from "../../src/client/abortable";

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
});
