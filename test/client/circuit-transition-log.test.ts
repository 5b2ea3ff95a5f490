import { BehaviorSubject, combineLatest, VirtualTimeScheduler } from "rxjs";
import { AuthenticationError, NetworkError, TimeoutError, type RollgateError } from "../../src/errors";
import { logCircuitTransitions } from "../../src/client/circuit-transition-log";
import { INITIAL_OUTAGE_STATE, reduceOutage, type OutageSignals } from "../../src/client/outage-transitions";
import type { Logger } from "../../src/logger/logger";
import { CircuitBreaker } from "../../src/resilience/circuit-breaker";

type Line = [level: keyof Logger, message: string, context: Record<string, unknown> | undefined];

function recordingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: keyof Logger) => (message: string, context?: Record<string, unknown>) => void lines.push([level, message, context]);
  return { lines, logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
}

const down = new NetworkError("connect ECONNREFUSED 127.0.0.1:1");

describe("reduceOutage", () => {
  it("warns for the first failure of an outage, with its message and code, and remembers when failing began", () => {
    const { state, entries } = reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "closed", lastError: down }, 1_000);
    expect(entries).toEqual([{ level: "warn", message: down.message, context: { code: "NETWORK_ERROR" } }]);
    expect(state).toMatchObject({ failingSince: 1_000, warned: true });
  });

  it("logs further failures of the same outage at debug: one warning per outage, whatever the retry settings", () => {
    const failing = reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "closed", lastError: down }, 0).state;
    const timeout = new TimeoutError(5);
    expect(reduceOutage(failing, { circuit: "closed", lastError: timeout }, 500).entries).toEqual([{ level: "debug", message: timeout.message, context: { code: "TIMEOUT" } }]);
  });

  it("opens the circuit at info when the outage has had its warning already", () => {
    const failing = reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "closed", lastError: down }, 0).state;
    expect(reduceOutage(failing, { circuit: "open", lastError: down }, 500).entries).toEqual([expect.objectContaining({ level: "info", context: { circuit: "open", failingForSeconds: 0.5, code: "NETWORK_ERROR" } })]);
  });

  it("warns for the next outage again once the last one is over", () => {
    const failing = reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "closed", lastError: down }, 0).state;
    const over = reduceOutage(failing, { circuit: "closed", lastError: undefined }, 1_000).state;
    expect(over).toEqual(INITIAL_OUTAGE_STATE);
    expect(reduceOutage(over, { circuit: "closed", lastError: new TimeoutError(5) }, 9_000).entries).toEqual([expect.objectContaining({ level: "warn" })]);
  });

  it("does not count a refused key as an outage (the client logs it as an error)", () => {
    expect(reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "closed", lastError: new AuthenticationError(401) }, 0).entries).toEqual([]);
  });

  it("warns when the circuit opens first, with the code and how long it had been failing", () => {
    const failing = { circuit: "closed" as const, lastError: down, failingSince: 1_000, warned: false };
    const { entries } = reduceOutage(failing, { circuit: "open", lastError: down }, 13_500);
    expect(entries).toEqual([
      {
        level: "warn",
        message: expect.stringContaining("have been failing for 12.5 s (NETWORK_ERROR)") as unknown as string,
        context: { circuit: "open", failingForSeconds: 12.5, code: "NETWORK_ERROR" },
      },
    ]);
  });

  it("opens without a known error (the breaker tripped within one fetch's retries): no code, failing from now", () => {
    const { state, entries } = reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "open", lastError: undefined }, 5_000);
    expect(entries).toEqual([expect.objectContaining({ level: "warn", context: { circuit: "open", failingForSeconds: 0 } })]);
    expect(state.failingSince).toBe(5_000);
  });

  it("logs half-open and a failed probe at debug, so a long outage is one warning", () => {
    const open = { circuit: "open" as const, lastError: down, failingSince: 0, warned: true };
    const half = reduceOutage(open, { circuit: "half-open", lastError: down }, 30_000);
    expect(half.entries).toEqual([{ level: "debug", message: expect.any(String) as unknown as string, context: { circuit: "half-open", failingForSeconds: 30 } }]);
    const reopened = reduceOutage(half.state, { circuit: "open", lastError: down }, 30_100);
    expect(reopened.entries).toEqual([expect.objectContaining({ level: "debug", context: { circuit: "open", failingForSeconds: 30.1, code: "NETWORK_ERROR" } })]);
  });

  it("logs the circuit closing and the flags recovering at info, each once, with the outage's length", () => {
    const half = { circuit: "half-open" as const, lastError: down, failingSince: 0, warned: true };
    const closed = reduceOutage(half, { circuit: "closed", lastError: down }, 60_000);
    expect(closed.entries).toEqual([expect.objectContaining({ level: "info", context: { circuit: "closed", outageSeconds: 60 } })]);
    const recovered = reduceOutage(closed.state, { circuit: "closed", lastError: undefined }, 60_050);
    expect(recovered.entries).toEqual([expect.objectContaining({ level: "info", context: { outageSeconds: 60.1, lastCode: "NETWORK_ERROR" } })]);
    expect(recovered.state).toEqual({ circuit: "closed", lastError: undefined, failingSince: undefined, warned: false });
    expect(reduceOutage(recovered.state, { circuit: "closed", lastError: undefined }, 70_000).entries).toEqual([]);
  });

  it("logs a recovery from failures that never opened the circuit", () => {
    const failing = reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "closed", lastError: down }, 0).state;
    expect(reduceOutage(failing, { circuit: "closed", lastError: undefined }, 4_000).entries).toEqual([
      { level: "info", message: "Rollgate answered again after 4 s of failures; flags are up to date.", context: { outageSeconds: 4, lastCode: "NETWORK_ERROR" } },
    ]);
  });

  it("keeps the start of the failures when the error changes during an outage", () => {
    const failing = reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "closed", lastError: down }, 0).state;
    const later = reduceOutage(failing, { circuit: "closed", lastError: new TimeoutError(5) }, 9_000).state;
    expect(later.failingSince).toBe(0);
  });
});

describe("logCircuitTransitions, driven by a real CircuitBreaker in virtual time", () => {
  it("turns an outage into: warn on the first failure, info on open, debug on half-open and failed probes, info on close and on recovery", () => {
    const scheduler = new VirtualTimeScheduler();
    const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeout: 30 }, scheduler);
    const lastError = new BehaviorSubject<RollgateError | undefined>(undefined);
    const status$ = combineLatest({ circuit: breaker.circuitState$, lastError });
    const { logger, lines } = recordingLogger();
    const subscription = logCircuitTransitions({ status$, scheduler, logger });
    const at = (ms: number, work: () => void): void => void scheduler.schedule(work, ms);

    at(1_000, () => {
      breaker.recordFailure();
      lastError.next(down); // a fetch failed after its retries
    });
    at(2_000, () => breaker.recordFailure());
    at(3_000, () => breaker.recordFailure()); // third failure: opens, until 33 s
    at(33_100, () => breaker.recordFailure()); // half-open since 33 s; the probe fails: open until 63.1 s
    at(63_500, () => breaker.recordSuccess()); // half-open since 63.1 s; the probe succeeds
    at(63_600, () => lastError.next(undefined)); // the fetch's flags are applied
    scheduler.flush();
    subscription.unsubscribe();
    breaker.dispose();

    expect(lines.map(([level, , context]) => [level, context])).toEqual([
      ["warn", { code: "NETWORK_ERROR" }],
      ["info", { circuit: "open", failingForSeconds: 2, code: "NETWORK_ERROR" }],
      ["debug", { circuit: "half-open", failingForSeconds: 32 }],
      ["debug", { circuit: "open", failingForSeconds: 32.1, code: "NETWORK_ERROR" }],
      ["debug", { circuit: "half-open", failingForSeconds: 62.1 }],
      ["info", { circuit: "closed", outageSeconds: 62.5 }],
      ["info", { outageSeconds: 62.6, lastCode: "NETWORK_ERROR" }],
    ]);
    expect(lines[1]![1]).toBe(
      "The circuit breaker opened: requests to Rollgate have been failing for 2 s (NETWORK_ERROR). No request is sent until the reset timeout passes; the last flags keep serving.",
    );
  });

  it("logs nothing for the starting state, nor for repeated identical statuses", () => {
    const scheduler = new VirtualTimeScheduler();
    const status$ = new BehaviorSubject<OutageSignals>({ circuit: "closed", lastError: undefined });
    const { logger, lines } = recordingLogger();
    logCircuitTransitions({ status$, scheduler, logger });
    status$.next({ circuit: "closed", lastError: undefined });
    status$.complete();
    expect(lines).toEqual([]);
  });

  it("measures an outage already under way when it starts from the moment it starts", () => {
    const scheduler = new VirtualTimeScheduler();
    const status$ = new BehaviorSubject<OutageSignals>({ circuit: "open", lastError: down });
    const { logger, lines } = recordingLogger();
    logCircuitTransitions({ status$, scheduler, logger });
    scheduler.schedule(() => status$.next({ circuit: "closed", lastError: undefined }), 5_000);
    scheduler.flush();
    expect(lines.map(([level, , context]) => [level, context])).toEqual([
      ["info", { circuit: "closed", outageSeconds: 5 }],
      ["info", { outageSeconds: 5, lastCode: "NETWORK_ERROR" }],
    ]);
  });
});
