import { firstValueFrom, lastValueFrom, Observable } from "rxjs";
import { resilientRequest, type RequestWork } from "../../src/resilience/resilient-request";
import { CircuitBreaker } from "../../src/resilience/circuit-breaker";
import { resolveCircuitBreakerOptions } from "../../src/resilience/circuit-breaker-options";
import { resolveRetryOptions } from "../../src/resilience/retry-options";
import { RequestSlots } from "../../src/resilience/request-slots";
import { advanceWithPromises as advance, LeanVirtualClock } from "../support/lean-virtual-clock";

/** A request the server answers after `ms` of virtual time (an aborted one never answers). */
function serverTaking(clock: LeanVirtualClock, ms: number, sent: number[]) {
  return (signal: AbortSignal) =>
    new Promise<string>((resolve) => {
      sent.push(clock.now);
      const answer = clock.scheduler.schedule(() => resolve("flags"), ms);
      signal.addEventListener("abort", () => answer.unsubscribe());
    });
}

describe("RequestSlots", () => {
  it("runs at most `size` at once, callers before background work, and forgets one unsubscribed while queued", async () => {
    const slots = new RequestSlots(1);
    const started: string[] = [];
    const ends = new Map<string, () => void>();
    const work = (name: string) =>
      new Observable<string>((subscriber) => {
        started.push(name);
        ends.set(name, () => {
          subscriber.next(name);
          subscriber.complete();
        });
      });
    const first = lastValueFrom(slots.run(() => work("first"), "background"));
    const background = lastValueFrom(slots.run(() => work("background"), "background"));
    const gone = slots.run(() => work("gone"), "waiting").subscribe();
    const caller = lastValueFrom(slots.run(() => work("caller"), "waiting"));
    expect(started).toEqual(["first"]);
    expect(slots.queued).toBe(3);
    gone.unsubscribe();
    expect(slots.queued).toBe(2);
    ends.get("first")!();
    await first;
    expect(started).toEqual(["first", "caller"]);
    ends.get("caller")!();
    await caller;
    expect(started).toEqual(["first", "caller", "background"]);
    ends.get("background")!();
    await background;
    expect(slots.inFlight).toBe(0);
    expect(slots.queued).toBe(0);
  });
});

describe("RequestSlots and answers", () => {
  it("frees a slot once its work says the answer is in, before the work ends, and only once", async () => {
    const slots = new RequestSlots(1);
    const started: string[] = [];
    const answer = new Map<string, () => void>();
    const ends = new Map<string, () => void>();
    const work = (name: string) => (answered: () => void) =>
      new Observable<string>((subscriber) => {
        started.push(name);
        answer.set(name, answered);
        ends.set(name, () => {
          subscriber.next(name);
          subscriber.complete();
        });
      });
    const first = lastValueFrom(slots.run(work("first"), "waiting"));
    const second = lastValueFrom(slots.run(work("second"), "waiting"));
    const third = lastValueFrom(slots.run(work("third"), "waiting"));
    expect(started).toEqual(["first"]);
    answer.get("first")!();
    expect(started).toEqual(["first", "second"]);
    expect(slots.inFlight).toBe(1);
    // Neither a second call nor the end of the work frees the slot again.
    answer.get("first")!();
    ends.get("first")!();
    await first;
    expect(started).toEqual(["first", "second"]);
    expect(slots.inFlight).toBe(1);
    expect(slots.queued).toBe(1);
    ends.get("second")!();
    await second;
    expect(started).toEqual(["first", "second", "third"]);
    ends.get("third")!();
    await third;
    expect(slots.inFlight).toBe(0);
  });
});

describe("resilientRequest with connection slots: the breaker blames only the server", () => {
  function setUp(connections: number, failureThreshold = 1) {
    const clock = new LeanVirtualClock();
    const breaker = new CircuitBreaker(resolveCircuitBreakerOptions({ failureThreshold, resetTimeout: 30 }), clock.scheduler);
    const slots = new RequestSlots(connections);
    const options = { timeout: 1, retry: resolveRetryOptions({ maxRetries: 0 }), scheduler: clock.scheduler };
    const request = (work: RequestWork<string>) => resilientRequest(work, { breaker, options, slots });
    return { clock, breaker, slots, request };
  }

  it("measures the time-out from when a request is sent: time queued behind a healthy server never times out", async () => {
    const { clock, breaker, request } = setUp(1);
    const sent: number[] = [];
    const outcomes = Array.from({ length: 4 }, () => firstValueFrom(request(serverTaking(clock, 800, sent))).catch((error: Error) => error.name));
    await advance(clock, 3_300);
    // Each waited up to 2.4 s for the one connection, over its 1 s time-out, and was served.
    expect(await Promise.all(outcomes)).toEqual(["flags", "flags", "flags", "flags"]);
    expect(sent).toEqual([0, 800, 1_600, 2_400]);
    expect(breaker.getState()).toBe("closed");
  });

  it("never counts a request cancelled while it waited for a connection", async () => {
    const { clock, breaker, slots, request } = setUp(1);
    const sent: number[] = [];
    const first = firstValueFrom(request(serverTaking(clock, 500, sent)));
    const queued = request(serverTaking(clock, 500, sent)).subscribe({ error: () => undefined });
    await advance(clock, 300);
    queued.unsubscribe();
    expect(slots.queued).toBe(0);
    await advance(clock, 5_000);
    await first;
    expect(sent).toEqual([0]);
    expect(breaker.getState()).toBe("closed");
  });

  it("still opens the circuit for a sent request that the server does not answer in time", async () => {
    const { clock, breaker, request } = setUp(1);
    const sent: number[] = [];
    const outcome = firstValueFrom(request(serverTaking(clock, 5_000, sent))).catch((error: { code: string }) => error.code);
    await advance(clock, 1_000);
    expect(await outcome).toBe("TIMEOUT");
    expect(breaker.getState()).toBe("open");
  });

  it("refuses a queued request without sending it once the circuit opened meanwhile", async () => {
    const { clock, breaker, request } = setUp(1);
    const sent: number[] = [];
    const failing = firstValueFrom(request(serverTaking(clock, 5_000, sent))).catch((error: { code: string }) => error.code);
    const queued = firstValueFrom(request(serverTaking(clock, 10, sent))).catch((error: { code: string }) => error.code);
    await advance(clock, 1_000);
    expect(await failing).toBe("TIMEOUT");
    expect(await queued).toBe("CIRCUIT_OPEN");
    expect(sent).toEqual([0]);
    expect(breaker.getState()).toBe("open");
  });

  it("records a probe's answer before its connection goes to the request queued behind it, which is sent at once, not refused", async () => {
    const { clock, breaker, request } = setUp(1);
    const sent: number[] = [];
    const failed = firstValueFrom(request(serverTaking(clock, 5_000, sent))).catch((error: { code: string }) => error.code);
    await advance(clock, 1_000);
    expect(await failed).toBe("TIMEOUT");
    await advance(clock, 30_000);
    expect(breaker.getState()).toBe("half-open");
    const halfOpenAt = clock.now;
    // The probe's answer is in after 100 ms; decoding and applying it take 200 ms more.
    const probe = firstValueFrom(
      request(
        (_signal, answered) =>
          new Promise<string>((resolve) => {
            sent.push(clock.now);
            clock.scheduler.schedule(() => {
              answered();
              clock.scheduler.schedule(() => resolve("probe"), 200);
            }, 100);
          }),
      ),
    );
    const queued = firstValueFrom(request(serverTaking(clock, 100, sent))).catch((error: { code: string }) => error.code);
    await advance(clock, 500);
    expect(await probe).toBe("probe");
    expect(await queued).toBe("flags");
    expect(sent).toEqual([0, halfOpenAt, halfOpenAt + 100]);
    expect(breaker.getState()).toBe("closed");
  });
});
