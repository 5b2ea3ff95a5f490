import { from, Observable, of, Subject, throwError } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { coalesceRefetch, type RefetchOutcome } from "../../src/sources/coalesce-refetch";

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe("coalesceRefetch", () => {
  it("starts a refetch at once when a signal arrives while idle", () => {
    testScheduler().run(({ cold, hot, expectObservable }) => {
      const signals$ = hot("a 49ms b");
      const refetch = (signal: string): Observable<string> => cold("10ms (x|)", { x: `data after ${signal}` });
      expectObservable(coalesceRefetch(signals$, refetch)).toBe("10ms x 49ms y", {
        x: { ok: true, value: "data after a" },
        y: { ok: true, value: "data after b" },
      });
    });
  });

  it("collapses the signals that arrive during a refetch into one trailing refetch with the latest signal", () => {
    const started = testScheduler().run(({ cold, hot, expectObservable }) => {
      const signals$ = hot("a 1ms b 1ms c 1ms d");
      const seen: string[] = [];
      const refetch = (signal: string): Observable<string> => {
        seen.push(signal);
        return cold("10ms (x|)", { x: `data after ${signal}` });
      };
      expectObservable(coalesceRefetch(signals$, refetch)).toBe("10ms x 9ms y", {
        x: { ok: true, value: "data after a" },
        y: { ok: true, value: "data after d" },
      });
      return seen;
    });
    expect(started).toEqual(["a", "d"]);
  });

  it("runs at most two refetches for a burst of 1,000 signals, the second started after the last signal", () => {
    const { started, results } = testScheduler().run(({ cold }) => {
      const signals$ = new Subject<number>();
      const started: number[] = [];
      const results: RefetchOutcome<number>[] = [];
      coalesceRefetch(signals$, (signal: number) => {
        started.push(signal);
        return cold("5ms (x|)", { x: signal });
      }).subscribe((outcome) => results.push(outcome));
      for (let signal = 1; signal <= 1000; signal++) signals$.next(signal);
      return { started, results };
    });
    expect(started).toEqual([1, 1000]);
    expect(results).toEqual([
      { ok: true, value: 1 },
      { ok: true, value: 1000 },
    ]);
  });

  it.each([
    ["an Observable that errors", (): Observable<string> => throwError(() => new Error("boom"))],
    ["a thrown exception", (): Observable<string> => {
      throw new Error("boom");
    }],
  ])("reports a refetch that fails through %s as a value and keeps refetching", (_label, failing) => {
    const signals$ = new Subject<string>();
    const results: RefetchOutcome<string>[] = [];
    let calls = 0;
    const refetch = (signal: string): Observable<string> => (++calls === 1 ? failing() : of(`ok ${signal}`));
    let completed = false;
    coalesceRefetch(signals$, refetch).subscribe({ next: (o) => results.push(o), complete: () => (completed = true) });
    signals$.next("a");
    signals$.next("b");
    signals$.complete();
    expect(results).toEqual([
      { ok: false, error: new Error("boom") },
      { ok: true, value: "ok b" },
    ]);
    expect(completed).toBe(true);
  });

  it("accepts a Promise refetch and reports its rejection as a value", async () => {
    const signals$ = new Subject<string>();
    const results: RefetchOutcome<string>[] = [];
    const done = new Promise<void>((resolve) =>
      coalesceRefetch(signals$, (signal) => (signal === "bad" ? Promise.reject(new Error("no")) : Promise.resolve(signal))).subscribe({
        next: (o) => results.push(o),
        complete: resolve,
      }),
    );
    signals$.next("bad");
    signals$.next("good");
    signals$.complete();
    await done;
    expect(results).toEqual([
      { ok: false, error: new Error("no") },
      { ok: true, value: "good" },
    ]);
  });

  it("refetches once per signal when each refetch finishes synchronously", () => {
    const started: number[] = [];
    const results: RefetchOutcome<number>[] = [];
    coalesceRefetch(from([1, 2, 3]), (signal) => {
      started.push(signal);
      return of(signal * 10);
    }).subscribe((o) => results.push(o));
    expect(started).toEqual([1, 2, 3]);
    expect(results.map((o) => (o.ok ? o.value : undefined))).toEqual([10, 20, 30]);
  });

  it("completes only after the in-flight and trailing refetches when the signals complete", () => {
    testScheduler().run(({ cold, hot, expectObservable }) => {
      const signals$ = hot("a b |");
      const refetch = (signal: string): Observable<string> => cold("10ms (x|)", { x: signal });
      expectObservable(coalesceRefetch(signals$, refetch)).toBe("10ms x 9ms (y|)", {
        x: { ok: true, value: "a" },
        y: { ok: true, value: "b" },
      });
    });
  });

  it("passes on an error of the signals themselves", () => {
    testScheduler().run(({ cold, hot, expectObservable }) => {
      const signals$ = hot("--#", undefined, new Error("signals broke"));
      expectObservable(coalesceRefetch(signals$, () => cold("(x|)"))).toBe("--#", undefined, new Error("signals broke"));
    });
  });

  it("cancels the in-flight refetch and drops the trailing one when unsubscribed", () => {
    const calls = testScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const signals$ = hot("a b");
      const fetch = cold("10ms (x|)");
      let calls = 0;
      expectObservable(
        coalesceRefetch(signals$, () => {
          calls++;
          return fetch;
        }),
        "^ 4ms !",
      ).toBe("");
      expectSubscriptions(fetch.subscriptions).toBe("^ 4ms !");
      return () => calls;
    });
    expect(calls()).toBe(1);
  });
});
