import { defer, interval, map, Observable, startWith, takeUntil, throwError, timer } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import {
  AuthenticationError,
  CircuitOpenError,
  NetworkError,
  RateLimitError,
  RequestError,
  RollgateError,
  ServerError,
} from "../../src/errors";
import type { SseSignal } from "../../src/sources/sse-signal";
import { reconnectingStream, type ReconnectingStreamOptions, type StreamOutput } from "../../src/sources/stream-reconnect";
import type { StreamStatusChange } from "../../src/sources/stream-status";

const OPEN: SseSignal = { type: "open" };
const ACTIVITY: SseSignal = { type: "activity" };
const INIT: SseSignal = { type: "event", event: "init", data: '{"flags":{}}' };
const signals: Record<string, SseSignal> = { o: OPEN, a: ACTIVITY, i: INIT };

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** A seeded PRNG (mulberry32), so jittered delays are random yet reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Recorded {
  readonly at: number;
  readonly output: StreamOutput;
}

/**
 * Runs `reconnectingStream` in virtual time for `forMs` and records what it emitted, when.
 * `connections` is called once per attempt with the attempt's index (0-based) and the scheduler.
 */
function record(
  connections: (index: number, scheduler: TestScheduler) => Observable<SseSignal>,
  options: Omit<ReconnectingStreamOptions, "scheduler">,
  forMs: number,
): { outputs: Recorded[]; opened: number[]; completedAt: number | undefined } {
  const scheduler = newScheduler();
  return scheduler.run(() => {
    const outputs: Recorded[] = [];
    const opened: number[] = [];
    const result = { outputs, opened, completedAt: undefined as number | undefined };
    let index = 0;
    const open = (): Observable<SseSignal> => {
      opened.push(scheduler.now());
      return connections(index++, scheduler);
    };
    reconnectingStream(open, { scheduler, ...options })
      .pipe(takeUntil(timer(forMs, scheduler)))
      .subscribe({
        next: (output) => outputs.push({ at: scheduler.now(), output }),
        complete: () => {
          if (scheduler.now() < forMs) result.completedAt = scheduler.now();
        },
      });
    return result;
  });
}

function statuses(outputs: Recorded[]): Array<StreamStatusChange & { at: number }> {
  return outputs.flatMap(({ at, output }) => (output.type === "status" ? [{ ...output, at }] : []));
}

const failing = (error: RollgateError) => (): Observable<SseSignal> => throwError(() => error);

describe("reconnectingStream", () => {
  it("reports connecting, then open, then passes the events through (not the activity)", () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const connection = cold("-o-a-i", signals);
      const stream$ = reconnectingStream(() => connection, { scheduler });
      expectObservable(stream$, "^ 9ms !").toBe("co---i", {
        c: { type: "status", status: "connecting", attempt: 1 },
        o: { type: "status", status: "open", attempt: 1 },
        i: INIT,
      });
      expectSubscriptions(connection.subscriptions).toBe("^ 9ms !");
    });
  });

  it("backs off exponentially from 1 s, doubling, capped at 30 s, with full jitter", () => {
    const ceilings = [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000];
    const { outputs, opened } = record(failing(new ServerError(503, undefined)), { random: seededRandom(42) }, 200_000);
    const backoffs = statuses(outputs).filter((s) => s.status === "backing-off");
    expect(backoffs.length).toBeGreaterThanOrEqual(ceilings.length);
    ceilings.forEach((ceiling, i) => {
      const backoff = backoffs[i];
      if (backoff?.status !== "backing-off") throw new Error(`missing backoff ${i}`);
      expect(backoff.attempt).toBe(i + 1);
      expect(backoff.delayMs).toBeGreaterThanOrEqual(0);
      expect(backoff.delayMs).toBeLessThan(ceiling);
      expect(backoff.error).toBeInstanceOf(ServerError);
      // The next attempt starts exactly when the delay runs out.
      expect(opened[i + 1]).toBe(backoff.at + backoff.delayMs);
    });
    // Jitter: the delays are not all the same fraction of their ceiling.
    const fractions = backoffs.slice(0, ceilings.length).map((b, i) => (b.status === "backing-off" ? b.delayMs / ceilings[i]! : 0));
    expect(new Set(fractions.map((f) => f.toFixed(2))).size).toBeGreaterThan(3);
  });

  it.each([
    [0.999_999, [999, 1999, 3999, 7999, 15_999, 29_999, 29_999]],
    [0.5, [500, 1000, 2000, 4000, 8000, 15_000, 15_000]],
  ])("with random() = %p the delays are %p ms", (fraction, expected) => {
    const { outputs } = record(failing(new NetworkError("refused")), { random: () => fraction }, 120_000);
    const delays = statuses(outputs).flatMap((s) => (s.status === "backing-off" ? [s.delayMs] : []));
    expect(delays.slice(0, expected.length)).toEqual(expected);
  });

  it.each([
    ["stayed open 60 s", 60_000, 1, 999],
    ["stayed open 59.999 s", 59_999, 4, 7999],
  ])("after a connection that %s (%p ms), the next backoff is for attempt %p, at most %p ms", (_label, upMs, attempt, delayMs) => {
    // Three failed attempts (1 + 2 + 4 s ceilings), then one that opens, lasts upMs, and fails.
    const { outputs } = record(
      (index, scheduler) =>
        index < 3
          ? throwError(() => new NetworkError("refused"))
          : scheduler.createColdObservable<SseSignal>(`o ${upMs - 1}ms #`, signals, new NetworkError("reset")),
      { random: () => 0.999_999 },
      200_000,
    );
    const afterOpen = statuses(outputs).filter((s) => s.status === "backing-off")[3];
    expect(afterOpen).toMatchObject({ status: "backing-off", attempt, delayMs });
  });

  it("replaces a stream that stays silent for the read timeout", () => {
    const { outputs, opened } = record(
      (_index, scheduler) => scheduler.createColdObservable<SseSignal>("o", signals),
      { random: () => 0.5, readTimeout: 300_000 },
      400_000,
    );
    const [first, , backingOff, second] = statuses(outputs);
    expect(first).toMatchObject({ status: "connecting", at: 0 });
    expect(backingOff).toMatchObject({ status: "backing-off", at: 300_000, delayMs: 500 });
    expect(backingOff?.status === "backing-off" && backingOff.error).toBeInstanceOf(NetworkError);
    expect(second).toMatchObject({ status: "connecting", at: 300_500 });
    expect(opened).toEqual([0, 300_500]);
  });

  it("keeps a stream that only sends heartbeats (activity) past the read timeout", () => {
    const { outputs, opened } = record(
      (_index, scheduler) =>
        interval(100_000, scheduler).pipe(
          map((): SseSignal => ACTIVITY),
          startWith(OPEN),
        ),
      { readTimeout: 300_000 },
      1_000_000,
    );
    expect(opened).toEqual([0]);
    expect(statuses(outputs).map((s) => s.status)).toEqual(["connecting", "open"]);
  });

  it("reconnects a stream that ends cleanly", () => {
    const { outputs, opened } = record(
      (index, scheduler) => scheduler.createColdObservable<SseSignal>(index === 0 ? "o 9ms |" : "o", signals),
      { random: () => 0.5 },
      20_000,
    );
    const backingOff = statuses(outputs).find((s) => s.status === "backing-off");
    expect(backingOff).toMatchObject({ at: 10, delayMs: 500 });
    expect(backingOff?.status === "backing-off" && backingOff.error.message).toMatch(/stream ended/);
    expect(opened).toEqual([0, 510]);
  });

  it("waits and tries again when the circuit breaker's gate rejects the attempt, without opening a connection", () => {
    let gateCalls = 0;
    const gate = <T,>(work: Observable<T>): Observable<T> =>
      defer(() => (++gateCalls <= 2 ? throwError(() => new CircuitOpenError()) : work));
    const { outputs, opened } = record(
      (_index, scheduler) => scheduler.createColdObservable<SseSignal>("o", signals),
      { gate, random: () => 0.5 },
      10_000,
    );
    expect(statuses(outputs).map((s) => [s.at, s.status, s.status === "backing-off" ? s.error.code : ""])).toEqual([
      [0, "connecting", ""],
      [0, "backing-off", "CIRCUIT_OPEN"],
      [500, "connecting", ""],
      [500, "backing-off", "CIRCUIT_OPEN"],
      [1500, "connecting", ""],
      [1500, "open", ""],
    ]);
    expect(opened).toEqual([1500]);
  });

  it.each([401, 403])("stops for good on %p, reporting the AuthenticationError", (status) => {
    const reported: StreamStatusChange[] = [];
    const { outputs, opened, completedAt } = record(failing(new AuthenticationError(status)), { onStatus: (s) => reported.push(s) }, 100_000);
    expect(outputs.map((o) => o.output)).toEqual([
      { type: "status", status: "connecting", attempt: 1 },
      { type: "status", status: "stopped", error: new AuthenticationError(status) },
    ]);
    expect(reported).toEqual(outputs.map((o) => o.output));
    expect(opened).toEqual([0]);
    expect(completedAt).toBe(0);
  });

  it.each([204, 400, 404])("stops on a RequestError %p, whose message says it will not be retried", (status) => {
    const error = new RequestError(status, undefined);
    const { outputs, opened, completedAt } = record(failing(error), {}, 100_000);
    expect(outputs.map((o) => o.output)).toEqual([
      { type: "status", status: "connecting", attempt: 1 },
      { type: "status", status: "stopped", error },
    ]);
    expect(error.message).toMatch(/will not be retried/);
    expect(opened).toEqual([0]);
    expect(completedAt).toBe(0);
  });

  it.each([
    ["RateLimitError", new RateLimitError(20)],
    ["ServerError", new ServerError(503, undefined, 20)],
  ])("waits at least the Retry-After of a %s", (_label, error) => {
    const { outputs, opened } = record(failing(error), { random: () => 0.5 }, 25_000);
    expect(statuses(outputs)[1]).toMatchObject({ status: "backing-off", delayMs: 20_000 });
    expect(opened).toEqual([0, 20_000]);
  });

  it("reports an untyped failure as a NetworkError", () => {
    const { outputs } = record(() => throwError(() => new Error("socket hang up")), { random: () => 0.5 }, 100);
    const backingOff = statuses(outputs)[1];
    expect(backingOff?.status === "backing-off" && backingOff.error).toEqual(new NetworkError("socket hang up"));
  });

  it("cancels the pending reconnect when unsubscribed during a backoff", () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const connection = cold<SseSignal>("-#", signals, new NetworkError("reset"));
      // Without the unsubscription, the second attempt would start at 1 + 999 ms.
      const stream$ = reconnectingStream(() => connection, { scheduler, random: () => 0.999_999 });
      expectObservable(stream$.pipe(map((o) => (o.type === "status" ? o.status : o.type))), "^ 500ms !").toBe("cb", {
        c: "connecting",
        b: "backing-off",
      });
      expectSubscriptions(connection.subscriptions).toBe("^!");
    });
  });
});
