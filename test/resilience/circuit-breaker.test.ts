import { concat, config, defer, mergeMap, Observable, of, throwError, timer, VirtualTimeScheduler, type SchedulerLike, type Subscription } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import {
  AuthenticationError,
  CircuitOpenError,
  ClientClosedError,
  RequestError,
  ServerError,
} from "../../src/errors";
import { CircuitBreaker } from "../../src/resilience/circuit-breaker";
import type { CircuitState } from "../../src/resilience/circuit-state";
import { resolveRetryOptions } from "../../src/resilience/retry-options";
import { withRetry } from "../../src/resilience/with-retry";

const RESET_MS = 30_000;
const options = { failureThreshold: 3, resetTimeout: RESET_MS / 1000 };

/** A fake request: counts its subscriptions, answers after `duration` ms. */
class FakeServer {
  subscriptions = 0;
  constructor(private readonly scheduler: TestScheduler) {}

  request(outcome: "ok" | Error, duration = 10): Observable<string> {
    return defer(() => {
      this.subscriptions += 1;
      return timer(duration, this.scheduler).pipe(mergeMap(() => (outcome === "ok" ? of("ok") : throwError(() => outcome))));
    });
  }
}

interface Harness {
  readonly scheduler: TestScheduler;
  readonly breaker: CircuitBreaker;
  readonly server: FakeServer;
  /** What `circuitState$` emitted, with the virtual time of each emission. */
  readonly states: Array<[number, CircuitState]>;
  /** Runs `fn` at virtual time `ms` (absolute, also when called from a scheduled callback). */
  at(ms: number, fn: () => void): void;
  /** Subscribes to `source` at `ms` and records what it emits. */
  call(ms: number, source: () => Observable<string>): Array<[number, string]>;
}

/** Runs a scenario in virtual time (1 frame = 1 ms); the breaker is disposed at the end. */
function scenario(body: (h: Harness) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => {
    const breaker = new CircuitBreaker(options, scheduler);
    const states: Array<[number, CircuitState]> = [];
    breaker.circuitState$.subscribe((state) => states.push([scheduler.now(), state]));
    const harness: Harness = {
      scheduler,
      breaker,
      server: new FakeServer(scheduler),
      states,
      at: (ms, fn) => {
        scheduler.schedule(fn, ms - scheduler.now());
      },
      call: (ms, source) => {
        const seen: Array<[number, string]> = [];
        scheduler.schedule(() => {
          source().subscribe({
            next: (value) => seen.push([scheduler.now(), `value:${value}`]),
            error: (error: unknown) => seen.push([scheduler.now(), `error:${(error as Error).name}`]),
            complete: () => seen.push([scheduler.now(), "complete"]),
          });
        }, ms - scheduler.now());
        return seen;
      },
    };
    body(harness);
    scheduler.schedule(() => breaker.dispose(), 10 * RESET_MS);
  });
}

const unavailable = (): ServerError => new ServerError(503, undefined);

/** When the circuit of {@link openAt210} turns half-open. */
const HALF_OPEN_AT = 210 + RESET_MS;

/** Three failed attempts at 0, 100 and 200 ms, each answering after 10 ms: open at 210. */
function openAt210(h: Harness): void {
  for (const ms of [0, 100, 200]) h.call(ms, () => h.breaker.guard(h.server.request(unavailable())));
}

describe("CircuitBreaker", () => {
  it("starts closed and lets requests through", () => {
    scenario((h) => {
      const seen = h.call(0, () => h.breaker.guard(h.server.request("ok")));
      h.at(20, () => {
        expect(seen).toEqual([
          [10, "value:ok"],
          [10, "complete"],
        ]);
        expect(h.breaker.getState()).toBe("closed");
        expect(h.states).toEqual([[0, "closed"]]);
      });
    });
  });

  it("opens after failureThreshold consecutive failed attempts", () => {
    scenario((h) => {
      openAt210(h);
      h.at(209, () => expect(h.breaker.getState()).toBe("closed"));
      h.at(211, () => expect(h.breaker.getState()).toBe("open"));
      h.at(300, () => expect(h.states).toEqual([[0, "closed"], [210, "open"]]));
    });
  });

  it.each<[string, "ok" | Error]>([
    ["a success", "ok"],
    ["a rejected request, which proves the server answers", new RequestError(404, undefined)],
    ["an authentication error, which proves the server answers", new AuthenticationError(401)],
  ])("resets the consecutive count after %s", (_name, middle) => {
    scenario((h) => {
      const outcomes: Array<"ok" | Error> = [unavailable(), unavailable(), middle, unavailable(), unavailable()];
      outcomes.forEach((outcome, i) => h.call(i * 100, () => h.breaker.guard(h.server.request(outcome))));
      h.at(1000, () => {
        expect(h.breaker.getState()).toBe("closed");
        expect(h.states).toEqual([[0, "closed"]]);
      });
    });
  });

  it("fails fast while open, without subscribing to the work", () => {
    scenario((h) => {
      openAt210(h);
      const seen = h.call(5000, () => h.breaker.guard(h.server.request("ok")));
      h.at(5000, () => {
        expect(seen).toEqual([[5000, "error:CircuitOpenError"]]);
        expect(h.server.subscriptions).toBe(3);
      });
    });
  });

  it("becomes half-open exactly resetTimeout after opening", () => {
    scenario((h) => {
      openAt210(h);
      h.at(210 + RESET_MS - 1, () => expect(h.breaker.getState()).toBe("open"));
      h.at(210 + RESET_MS + 1, () => {
        expect(h.breaker.getState()).toBe("half-open");
        expect(h.states).toEqual([[0, "closed"], [210, "open"], [210 + RESET_MS, "half-open"]]);
      });
    });
  });

  it("lets exactly one probe through when half-open; concurrent callers fail fast; its success closes the circuit", () => {
    scenario((h) => {
      openAt210(h);
      const t = HALF_OPEN_AT + 1;
      const probe = h.call(t, () => h.breaker.guard(h.server.request("ok", 50)));
      const second = h.call(t, () => h.breaker.guard(h.server.request("ok")));
      const third = h.call(t + 20, () => h.breaker.guard(h.server.request("ok")));
      const after = h.call(t + 100, () => h.breaker.guard(h.server.request("ok")));
      h.at(t + 200, () => {
        expect(probe[0]).toEqual([t + 50, "value:ok"]);
        expect(second).toEqual([[t, "error:CircuitOpenError"]]);
        expect(third).toEqual([[t + 20, "error:CircuitOpenError"]]);
        expect(after[0]).toEqual([t + 110, "value:ok"]);
        // 3 failures + the probe + the request after closing.
        expect(h.server.subscriptions).toBe(5);
        expect(h.states).toEqual([
          [0, "closed"],
          [210, "open"],
          [HALF_OPEN_AT, "half-open"],
          [t + 50, "closed"],
        ]);
      });
    });
  });

  it("records a success once the work says its answer is in: the probe's answer closes the circuit at once, and what fails after it counts for nothing", () => {
    scenario((h) => {
      openAt210(h);
      const t = HALF_OPEN_AT + 1;
      let answered = (): void => undefined;
      // The probe's answer is in after 20 ms; what follows it fails at 50 ms.
      const probe = h.call(t, () =>
        h.breaker.guard((done) => {
          answered = done;
          return h.server.request(unavailable(), 50);
        }),
      );
      h.at(t + 20, () => answered());
      const next = h.call(t + 30, () => h.breaker.guard(h.server.request("ok")));
      // Two failures after the probe's: three in a row would open the circuit, two do not.
      h.call(t + 60, () => h.breaker.guard(h.server.request(unavailable())));
      h.call(t + 70, () => h.breaker.guard(h.server.request(unavailable())));
      h.at(t + 200, () => {
        expect(probe).toEqual([[t + 50, "error:ServerError"]]);
        expect(next[0]).toEqual([t + 40, "value:ok"]);
        expect(h.states).toEqual([
          [0, "closed"],
          [210, "open"],
          [HALF_OPEN_AT, "half-open"],
          [t + 20, "closed"],
        ]);
      });
    });
  });

  it("re-opens for another resetTimeout when the probe fails", () => {
    scenario((h) => {
      openAt210(h);
      const t = HALF_OPEN_AT + 1;
      h.call(t, () => h.breaker.guard(h.server.request(unavailable())));
      h.at(t + 10 + RESET_MS - 1, () => expect(h.breaker.getState()).toBe("open"));
      h.at(t + 10 + RESET_MS + 1, () => {
        expect(h.breaker.getState()).toBe("half-open");
        expect(h.states).toEqual([
          [0, "closed"],
          [210, "open"],
          [HALF_OPEN_AT, "half-open"],
          [t + 10, "open"],
          [t + 10 + RESET_MS, "half-open"],
        ]);
      });
    });
  });

  it("frees the probe slot when the probe is unsubscribed before an outcome", () => {
    scenario((h) => {
      openAt210(h);
      const t = HALF_OPEN_AT + 1;
      h.at(t, () => {
        const probe = h.breaker.guard(h.server.request("ok", 1000)).subscribe({ error: () => undefined });
        h.at(t + 5, () => probe.unsubscribe());
      });
      const next = h.call(t + 10, () => h.breaker.guard(h.server.request("ok")));
      h.at(t + 100, () => {
        expect(next[0]).toEqual([t + 20, "value:ok"]);
        expect(h.breaker.getState()).toBe("closed");
      });
    });
  });

  it("frees the probe slot when the probe fails without reaching the server", () => {
    scenario((h) => {
      openAt210(h);
      const t = HALF_OPEN_AT + 1;
      h.call(t, () => h.breaker.guard(h.server.request(new CircuitOpenError(), 0)));
      h.at(t + 1, () => expect(h.breaker.getState()).toBe("half-open"));
      const next = h.call(t + 1, () => h.breaker.guard(h.server.request("ok")));
      h.at(t + 100, () => expect(next[0]).toEqual([t + 11, "value:ok"]));
    });
  });

  it("ignores a late success from a request sent before the circuit opened", () => {
    scenario((h) => {
      h.call(0, () => h.breaker.guard(h.server.request("ok", 1000)));
      openAt210(h);
      h.at(1001, () => expect(h.breaker.getState()).toBe("open"));
    });
  });

  it("closes on reset(), and the old reset timer does not fire", () => {
    scenario((h) => {
      openAt210(h);
      h.at(1000, () => {
        const pendingBefore = h.scheduler.actions.length;
        h.breaker.reset();
        expect(h.breaker.getState()).toBe("closed");
        // The reset timer was cancelled rather than left to fire into a closed circuit.
        expect(h.scheduler.actions.length).toBe(pendingBefore - 1);
      });
      h.at(3 * RESET_MS, () => expect(h.states).toEqual([[0, "closed"], [210, "open"], [1000, "closed"]]));
    });
  });

  it("counts failures and successes recorded by hand", () => {
    scenario((h) => {
      h.at(1, () => {
        h.breaker.recordFailure();
        h.breaker.recordFailure();
        h.breaker.recordSuccess();
        h.breaker.recordFailure();
        h.breaker.recordFailure();
        expect(h.breaker.getState()).toBe("closed");
        h.breaker.recordFailure();
        expect(h.breaker.getState()).toBe("open");
      });
      h.at(1 + RESET_MS + 1, () => expect(h.breaker.getState()).toBe("half-open"));
    });
  });

  it("emits each state once and replays the current one to late subscribers", () => {
    scenario((h) => {
      h.at(0, () => {
        // Many events that change nothing visible.
        h.breaker.recordFailure();
        h.breaker.recordFailure();
        for (let i = 0; i < 10; i += 1) h.breaker.recordSuccess();
      });
      openAt210(h);
      h.at(500, () => {
        const late: CircuitState[] = [];
        h.breaker.circuitState$.subscribe((state) => late.push(state)).unsubscribe();
        expect(late).toEqual(["open"]);
        expect(h.states).toEqual([[0, "closed"], [210, "open"]]);
      });
    });
  });

  it("delivers states in order to every subscriber when one of them resets the circuit", () => {
    scenario((h) => {
      const first: CircuitState[] = [];
      const second: CircuitState[] = [];
      h.at(0, () => {
        h.breaker.circuitState$.subscribe((state) => {
          first.push(state);
          if (state === "open") h.breaker.reset();
        });
        h.breaker.circuitState$.subscribe((state) => second.push(state));
      });
      openAt210(h);
      h.at(300, () => {
        expect(first).toEqual(["closed", "open", "closed"]);
        expect(second).toEqual(["closed", "open", "closed"]);
        expect(h.breaker.getState()).toBe("closed");
      });
    });
  });

  it("keeps working when a subscriber throws", () => {
    const unhandled: unknown[] = [];
    const previous = config.onUnhandledError;
    config.onUnhandledError = (error) => unhandled.push(error);
    try {
      scenario((h) => {
        h.at(0, () =>
          h.breaker.circuitState$.subscribe(() => {
            throw new Error("subscriber bug");
          }),
        );
        openAt210(h);
        h.at(210 + RESET_MS + 1, () => {
          expect(h.breaker.getState()).toBe("half-open");
          expect(h.states.map(([, state]) => state)).toEqual(["closed", "open", "half-open"]);
        });
      });
    } finally {
      config.onUnhandledError = previous;
    }
    expect(unhandled.length).toBeGreaterThan(0);
  });

  it("completes circuitState$, cancels its timer and refuses work after dispose()", () => {
    scenario((h) => {
      let completed = false;
      h.at(0, () => h.breaker.circuitState$.subscribe({ complete: () => (completed = true) }));
      openAt210(h);
      const refused = h.call(1001, () => h.breaker.guard(h.server.request("ok")));
      h.at(1000, () => {
        const pendingBefore = h.scheduler.actions.length;
        h.breaker.dispose();
        h.breaker.dispose();
        expect(completed).toBe(true);
        // The reset timer was the only other pending action besides the scenario's own.
        expect(h.scheduler.actions.length).toBe(pendingBefore - 1);
        expect(h.breaker.getState()).toBe("open");
        h.breaker.reset();
        expect(h.breaker.getState()).toBe("open");
      });
      h.at(1001, () => {
        expect(refused).toEqual([[1001, "error:ClientClosedError"]]);
        expect(h.server.subscriptions).toBe(3);
      });
      h.at(2 * RESET_MS, () => expect(h.breaker.getState()).toBe("open"));
    });
  });

  it("composes with withRetry: each attempt counts, and an opened circuit ends the retries", () => {
    scenario((h) => {
      const errors: unknown[] = [];
      h.at(0, () => {
        withRetry(() => h.breaker.guard(h.server.request(unavailable())), {
          retry: resolveRetryOptions({ maxRetries: 5 }),
          scheduler: h.scheduler,
          random: () => 0.5,
        }).subscribe({ error: (error: unknown) => errors.push(error) });
      });
      // Attempts fail at 10, 70 (+50 wait), 180 (+100 wait): open at 180; the retry at 380 is refused.
      h.at(1000, () => {
        expect(h.server.subscriptions).toBe(3);
        expect(h.states).toEqual([[0, "closed"], [180, "open"]]);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(CircuitOpenError);
      });
    });
  });

  it("does not count a stream that connected and later dropped as a failure (an attempt settles once)", () => {
    scenario((h) => {
      // Connects at 10 (a success), drops at 20: the drop is not recorded.
      const stream = (): Observable<string> =>
        defer(() => {
          h.server.subscriptions += 1;
          return timer(10, h.scheduler).pipe(mergeMap(() => concat(of("connected"), timer(10, h.scheduler).pipe(mergeMap(() => throwError(unavailable))))));
        });
      h.call(0, () => h.breaker.guard(stream()));
      // Two plain failures: with the drop counted too, these would be the 2nd and 3rd.
      h.call(100, () => h.breaker.guard(h.server.request(unavailable())));
      h.call(200, () => h.breaker.guard(h.server.request(unavailable())));
      h.at(1000, () => {
        expect(h.breaker.getState()).toBe("closed");
        expect(h.states).toEqual([[0, "closed"]]);
      });
    });
  });

  it("keeps a newer probe's slot when a stale probe from an earlier half-open period is unsubscribed", () => {
    scenario((h) => {
      openAt210(h);
      let stale: Subscription | undefined;
      h.at(HALF_OPEN_AT + 1, () => {
        stale = h.breaker.guard(h.server.request("ok", 1_000_000)).subscribe({ error: () => undefined });
      });
      // Closed by hand, re-opened, half-open again: the next probe is a new one.
      h.at(HALF_OPEN_AT + 2, () => {
        h.breaker.reset();
        for (let i = 0; i < 3; i += 1) h.breaker.recordFailure();
      });
      const secondHalfOpen = HALF_OPEN_AT + 2 + RESET_MS;
      const probe = h.call(secondHalfOpen + 1, () => h.breaker.guard(h.server.request("ok", 100)));
      h.at(secondHalfOpen + 2, () => stale?.unsubscribe());
      const intruder = h.call(secondHalfOpen + 3, () => h.breaker.guard(h.server.request("ok")));
      h.at(secondHalfOpen + 200, () => {
        expect(intruder).toEqual([[secondHalfOpen + 3, "error:CircuitOpenError"]]);
        expect(probe[0]).toEqual([secondHalfOpen + 101, "value:ok"]);
        expect(h.breaker.getState()).toBe("closed");
      });
    });
  });

  it("refuses side requests through gate() with ClientClosedError once disposed, without subscribing", () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const breaker = new CircuitBreaker(options, scheduler);
    let subscriptions = 0;
    const work = defer(() => {
      subscriptions += 1;
      return of("x");
    });
    const before: unknown[] = [];
    breaker.gate(work).subscribe((value) => before.push(value));
    expect(before).toEqual(["x"]);
    breaker.dispose();
    let error: unknown;
    breaker.gate(work).subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(ClientClosedError);
    expect((error as Error).message).toMatch(/^A request through the circuit breaker was called after close\(\)/);
    expect(subscriptions).toBe(1);
  });

  it("lets side requests through gate() only while closed, and records nothing for them", () => {
    scenario((h) => {
      const early = h.call(0, () => h.breaker.gate(h.server.request(unavailable())));
      h.call(20, () => h.breaker.gate(h.server.request(unavailable())));
      h.call(40, () => h.breaker.gate(h.server.request(unavailable())));
      h.at(100, () => {
        expect(early).toEqual([[10, "error:ServerError"]]);
        expect(h.breaker.getState()).toBe("closed");
      });
      openAt210(h);
      const whileOpen = h.call(300, () => h.breaker.gate(h.server.request("ok")));
      const halfOpen = h.call(HALF_OPEN_AT + 1, () => h.breaker.gate(h.server.request("ok")));
      h.at(HALF_OPEN_AT + 100, () => {
        expect(whileOpen).toEqual([[300, "error:CircuitOpenError"]]);
        expect(halfOpen).toEqual([[HALF_OPEN_AT + 1, "error:CircuitOpenError"]]);
        expect(h.server.subscriptions).toBe(6);
        expect(h.breaker.getState()).toBe("half-open");
      });
    });
  });

  it("refuses work with ClientClosedError once disposed", () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const breaker = new CircuitBreaker(options, scheduler);
    breaker.dispose();
    let error: unknown;
    breaker.guard(of("x")).subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(ClientClosedError);
    expect((error as Error).message).toMatch(/^A request through the circuit breaker was called after close\(\)/);
  });
});

describe("CircuitBreaker with a wall clock that disagrees with its timers", () => {
  it("turns half-open when the reset timer fires, even if now() then reads a millisecond early", () => {
    // asyncScheduler's now() is Date.now(), while its timers run on libuv's monotonic clock:
    // a timer due at reopenAt may fire when Date.now() still reads reopenAt - 1. Here the
    // clock reads 1 ms ahead while the circuit opens, then exactly on time.
    const virtual = new VirtualTimeScheduler();
    let ahead = 0;
    const scheduler: SchedulerLike = { now: () => virtual.now() + ahead, schedule: virtual.schedule.bind(virtual) as SchedulerLike["schedule"] };
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 30 }, scheduler);
    const states: CircuitState[] = [];
    breaker.circuitState$.subscribe((state) => states.push(state));
    ahead = 1;
    breaker.recordFailure();
    ahead = 0;
    virtual.flush();
    expect(states).toEqual(["closed", "open", "half-open"]);
    breaker.dispose();
  });
});
