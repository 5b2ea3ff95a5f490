import { defer, Observable, of, throwError, timer, map, mergeMap } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import {
  AuthenticationError,
  NetworkError,
  RateLimitError,
  RequestError,
  ServerError,
  type RollgateError,
} from "../../src/errors";
import type { FailureClass } from "../../src/resilience/classify-failure";
import { resolveRetryOptions } from "../../src/resilience/retry-options";
import { withRetry } from "../../src/resilience/with-retry";

type Outcome = { readonly kind: "value"; readonly at: number; readonly value: string } | { readonly kind: "error"; readonly at: number; readonly error: unknown } | { readonly kind: "complete"; readonly at: number };

/** One scripted attempt: fail with `error` or succeed with `value`, after `after` ms. */
type Step = { readonly error: unknown; readonly after?: number } | { readonly value: string; readonly after?: number };

interface Run {
  readonly attemptTimes: number[];
  readonly outcomes: Outcome[];
  readonly failures: Array<[FailureClass, number]>;
}

const HALF = (): number => 0.5;

/**
 * Runs `withRetry` over scripted attempts in virtual time (1 frame = 1 ms) and records when
 * each attempt started and what the caller saw.
 */
function runScript(
  steps: readonly Step[],
  { maxRetries = 3, random = HALF, unsubscribeAt, maxWait }: { maxRetries?: number; random?: () => number; unsubscribeAt?: number; maxWait?: number } = {},
): Run {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const run: Run = { attemptTimes: [], outcomes: [], failures: [] };
  scheduler.run(() => {
    let index = 0;
    const attempt = (): Observable<string> => {
      run.attemptTimes.push(scheduler.now());
      const step = steps[Math.min(index, steps.length - 1)];
      index += 1;
      if (step === undefined) throw new Error("empty script");
      const after = step.after ?? 0;
      return "value" in step
        ? timer(after, scheduler).pipe(map(() => step.value))
        : timer(after, scheduler).pipe(mergeMap(() => throwError(() => step.error)));
    };
    const subscription = withRetry(attempt, {
      retry: resolveRetryOptions({ maxRetries }),
      scheduler,
      random,
      maxWait,
      onFailedAttempt: (failure, n) => run.failures.push([failure, n]),
    }).subscribe({
      next: (value) => run.outcomes.push({ kind: "value", at: scheduler.now(), value }),
      error: (error: unknown) => run.outcomes.push({ kind: "error", at: scheduler.now(), error }),
      complete: () => run.outcomes.push({ kind: "complete", at: scheduler.now() }),
    });
    if (unsubscribeAt !== undefined) scheduler.schedule(() => subscription.unsubscribe(), unsubscribeAt);
  });
  return run;
}

const unavailable = (): ServerError => new ServerError(503, "Service Unavailable");

function lastError(run: Run): RollgateError {
  const last = run.outcomes.at(-1);
  if (last?.kind !== "error") throw new Error(`expected an error, got ${JSON.stringify(last)}`);
  return last.error as RollgateError;
}

describe("withRetry", () => {
  it("makes one attempt when it succeeds", () => {
    const run = runScript([{ value: "flags", after: 20 }]);
    expect(run.attemptTimes).toEqual([0]);
    expect(run.outcomes).toEqual([
      { kind: "value", at: 20, value: "flags" },
      { kind: "complete", at: 20 },
    ]);
    expect(run.failures).toEqual([]);
  });

  it("retries a server error with doubling, jittered backoff until it succeeds", () => {
    // random = 0.5: waits of 50, 100, 200 ms (half of 100, 200, 400 ms).
    const run = runScript([{ error: unavailable() }, { error: unavailable() }, { error: unavailable() }, { value: "flags" }]);
    expect(run.attemptTimes).toEqual([0, 50, 150, 350]);
    expect(run.outcomes[0]).toEqual({ kind: "value", at: 350, value: "flags" });
  });

  it("measures each wait from the failure, not from the attempt's start", () => {
    const run = runScript([{ error: unavailable(), after: 30 }, { value: "flags", after: 30 }]);
    expect(run.attemptTimes).toEqual([0, 80]);
    expect(run.outcomes[0]).toEqual({ kind: "value", at: 110, value: "flags" });
  });

  it("gives up after maxRetries retries with the last failure's class", () => {
    const run = runScript([
      { error: unavailable() },
      { error: unavailable() },
      { error: unavailable() },
      { error: Object.assign(new TypeError("fetch failed"), { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") }) },
    ]);
    expect(run.attemptTimes).toEqual([0, 50, 150, 350]);
    expect(run.outcomes).toHaveLength(1);
    expect(run.outcomes[0]?.at).toBe(350);
    expect(lastError(run)).toBeInstanceOf(NetworkError);
    expect(lastError(run).message).toContain("ECONNREFUSED");
  });

  it.each<[string, RollgateError]>([
    ["an authentication error", new AuthenticationError(401)],
    ["a rejected request", new RequestError(404, "not found")],
  ])("does not retry %s", (_name, error) => {
    const run = runScript([{ error, after: 5 }, { value: "never" }]);
    expect(run.attemptTimes).toEqual([0]);
    expect(run.outcomes).toEqual([{ kind: "error", at: 5, error }]);
  });

  it("waits at least the Retry-After the server asked for", () => {
    const run = runScript([{ error: new RateLimitError(2) }, { value: "flags" }]);
    expect(run.attemptTimes).toEqual([0, 2000]);
  });

  it("still backs off when Retry-After is 0", () => {
    const run = runScript([{ error: new ServerError(503, undefined, 0) }, { value: "flags" }], { random: () => 0.9 });
    expect(run.attemptTimes).toEqual([0, 90]);
  });

  it("caps the backoff at maxDelay", () => {
    const run = runScript([{ error: unavailable() }], { maxRetries: 10, random: () => 0.5 });
    const waits = run.attemptTimes.slice(1).map((time, i) => time - (run.attemptTimes[i] ?? 0));
    expect(waits).toEqual([50, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  it("makes a single attempt when maxRetries is 0", () => {
    const run = runScript([{ error: unavailable() }, { value: "never" }], { maxRetries: 0 });
    expect(run.attemptTimes).toEqual([0]);
    expect(lastError(run)).toBeInstanceOf(ServerError);
  });

  it("reports every failed attempt, the last one included, with its number", () => {
    const run = runScript([{ error: unavailable() }, { error: new RequestError(400, undefined) }]);
    expect(run.failures.map(([failure, n]) => [failure.error.constructor.name, failure.retryable, n])).toEqual([
      ["ServerError", true, 1],
      ["RequestError", false, 2],
    ]);
  });

  it("ignores an onFailedAttempt callback that throws", () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const seen: string[] = [];
    scheduler.run(({ expectObservable }) => {
      let attempts = 0;
      const result$ = withRetry(() => (++attempts < 2 ? throwError(() => unavailable()) : of("flags")), {
        retry: resolveRetryOptions(),
        scheduler,
        random: HALF,
        onFailedAttempt: () => {
          seen.push("called");
          throw new Error("observer bug");
        },
      });
      expectObservable(result$).toBe("50ms (a|)", { a: "flags" });
    });
    expect(seen).toEqual(["called"]);
  });

  it("retries an attempt whose factory throws", () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    scheduler.run(({ expectObservable }) => {
      let attempts = 0;
      const result$ = withRetry(
        () => {
          attempts += 1;
          if (attempts === 1) throw new TypeError("fetch failed");
          return of("flags");
        },
        { retry: resolveRetryOptions(), scheduler, random: HALF },
      );
      expectObservable(result$).toBe("50ms (a|)", { a: "flags" });
    });
  });

  it("starts nothing until subscribed, and each subscription starts afresh", () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    scheduler.run(({ expectObservable }) => {
      let attempts = 0;
      const result$ = withRetry(
        () =>
          defer(() => {
            attempts += 1;
            return attempts % 2 === 1 ? throwError(() => unavailable()) : of(`flags-${attempts}`);
          }),
        { retry: resolveRetryOptions({ maxRetries: 1 }), scheduler, random: HALF },
      );
      expect(attempts).toBe(0);
      expectObservable(result$).toBe("50ms (a|)", { a: "flags-2" });
      expectObservable(result$, "100ms ^").toBe("150ms (b|)", { b: "flags-4" });
    });
  });

  it("cancels the pending retry when unsubscribed during a backoff", () => {
    const run = runScript([{ error: unavailable() }, { value: "flags" }], { unsubscribeAt: 20 });
    expect(run.attemptTimes).toEqual([0]);
    expect(run.outcomes).toEqual([]);
  });

  it("unsubscribes from the attempt in flight when the caller unsubscribes (so its request is aborted)", () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const tornDown: number[] = [];
    scheduler.run(() => {
      const attempt = (): Observable<string> =>
        new Observable<string>((subscriber) => {
          const answer = scheduler.schedule(() => subscriber.next("flags"), 100);
          return () => {
            answer.unsubscribe();
            tornDown.push(scheduler.now());
          };
        });
      const subscription = withRetry(attempt, { retry: resolveRetryOptions({}), scheduler }).subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 30);
    });
    expect(tornDown).toEqual([30]);
  });

  describe("maxWait (the client passes retry.maxDelay)", () => {
    it("waits for a Retry-After exactly equal to maxWait, then retries", () => {
      const run = runScript([{ error: new RateLimitError(10), after: 5 }, { value: "flags" }], { maxWait: 10 });
      expect(run.attemptTimes).toEqual([0, 10_005]);
      expect(run.outcomes).toEqual([
        { kind: "value", at: 10_005, value: "flags" },
        { kind: "complete", at: 10_005 },
      ]);
    });

    it("ends the cycle at once with the failure when Retry-After asks for longer than maxWait", () => {
      const run = runScript([{ error: new RateLimitError(11), after: 5 }, { value: "flags" }], { maxWait: 10 });
      expect(run.attemptTimes).toEqual([0]);
      expect(run.outcomes).toHaveLength(1);
      expect(run.outcomes[0]).toMatchObject({ kind: "error", at: 5 });
      expect(lastError(run)).toBeInstanceOf(RateLimitError);
      expect(run.failures.map(([, n]) => n)).toEqual([1]);
    });
  });
});
