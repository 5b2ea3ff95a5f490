import {
  INITIAL_BREAKER_STATE,
  reduceCircuit,
  type BreakerState,
  type CircuitEvent,
} from "../../src/resilience/circuit-state";

const options = { failureThreshold: 3, resetTimeout: 30 };

const closed = (consecutiveFailures: number): BreakerState => ({ kind: "closed", consecutiveFailures });
const open = (openedAt: number): BreakerState => ({ kind: "open", openedAt, reopenAt: openedAt + 30_000 });
const halfOpen = (probeInFlight: boolean): BreakerState => ({ kind: "half-open", probeInFlight });

const success: CircuitEvent = { type: "success" };
const failureAt = (at: number): CircuitEvent => ({ type: "failure", at });
const timerAt = (at: number): CircuitEvent => ({ type: "reset-timer-elapsed", at });
const probeStarted: CircuitEvent = { type: "probe-started" };
const probeAbandoned: CircuitEvent = { type: "probe-abandoned" };
const manualReset: CircuitEvent = { type: "manual-reset" };

describe("reduceCircuit", () => {
  it("starts closed with no failures", () => {
    expect(INITIAL_BREAKER_STATE).toEqual(closed(0));
  });

  it.each<[string, BreakerState, CircuitEvent, BreakerState]>([
    // closed
    ["closed counts a failure", closed(0), failureAt(5), closed(1)],
    ["closed counts consecutive failures", closed(1), failureAt(5), closed(2)],
    ["closed opens at the threshold, from the failure's time", closed(2), failureAt(1000), open(1000)],
    ["closed opens past the threshold too", closed(7), failureAt(1000), open(1000)],
    ["a success resets the count", closed(2), success, closed(0)],
    ["closed ignores the reset timer", closed(1), timerAt(99), closed(1)],
    ["closed ignores probe events", closed(1), probeStarted, closed(1)],
    ["closed ignores an abandoned probe", closed(1), probeAbandoned, closed(1)],
    ["a manual reset clears the count", closed(2), manualReset, closed(0)],
    // open
    ["open becomes half-open when its timer elapses", open(1000), timerAt(31_000), halfOpen(false)],
    ["open becomes half-open when its timer elapses late", open(1000), timerAt(40_000), halfOpen(false)],
    ["open ignores a stale timer from an earlier opening", open(1000), timerAt(30_999), open(1000)],
    ["open ignores a late success", open(1000), success, open(1000)],
    ["open ignores a late failure, without extending", open(1000), failureAt(2000), open(1000)],
    ["open ignores probe events", open(1000), probeStarted, open(1000)],
    ["a manual reset closes an open circuit", open(1000), manualReset, closed(0)],
    // half-open
    ["half-open marks the probe in flight", halfOpen(false), probeStarted, halfOpen(true)],
    ["half-open frees the slot of an abandoned probe", halfOpen(true), probeAbandoned, halfOpen(false)],
    ["a successful probe closes the circuit", halfOpen(true), success, closed(0)],
    ["a failed probe re-opens for another reset timeout", halfOpen(true), failureAt(50_000), open(50_000)],
    ["a failure re-opens even without a probe marked", halfOpen(false), failureAt(50_000), open(50_000)],
    ["half-open ignores the reset timer", halfOpen(true), timerAt(99_000), halfOpen(true)],
    ["a manual reset closes a half-open circuit", halfOpen(true), manualReset, closed(0)],
  ])("%s", (_name, state, event, expected) => {
    expect(reduceCircuit(state, event, options)).toEqual(expected);
  });

  it.each<[string, BreakerState, CircuitEvent]>([
    ["a success on a clean closed state", INITIAL_BREAKER_STATE, success],
    ["a manual reset on a clean closed state", INITIAL_BREAKER_STATE, manualReset],
    // Any clean closed state, not only the initial object: a restored or hand-made one too.
    ["a success on another clean closed state", closed(0), success],
    ["a manual reset on another clean closed state", closed(0), manualReset],
    ["a late failure while open", open(0), failureAt(1)],
    ["a second probe start", halfOpen(true), probeStarted],
    ["an abandoned probe when none is in flight", halfOpen(false), probeAbandoned],
  ])("returns the same object when nothing changes: %s", (_name, state, event) => {
    expect(reduceCircuit(state, event, options)).toBe(state);
  });

  it("opens after exactly failureThreshold consecutive failures, whatever the threshold", () => {
    for (const failureThreshold of [1, 2, 5, 10]) {
      let state = INITIAL_BREAKER_STATE;
      for (let n = 1; n < failureThreshold; n += 1) {
        state = reduceCircuit(state, failureAt(n), { failureThreshold, resetTimeout: 1 });
        expect(state.kind).toBe("closed");
      }
      state = reduceCircuit(state, failureAt(failureThreshold), { failureThreshold, resetTimeout: 1 });
      expect(state).toEqual({ kind: "open", openedAt: failureThreshold, reopenAt: failureThreshold + 1000 });
    }
  });

  it("returns frozen states", () => {
    expect(Object.isFrozen(reduceCircuit(closed(0), failureAt(1), options))).toBe(true);
    expect(Object.isFrozen(reduceCircuit(closed(2), failureAt(1), options))).toBe(true);
    expect(Object.isFrozen(reduceCircuit(open(0), timerAt(30_000), options))).toBe(true);
  });
});
