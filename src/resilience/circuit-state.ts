import type { CircuitBreakerOptions } from "./circuit-breaker-options";

/**
 * The public state of the circuit breaker.
 * - `closed`: requests flow; consecutive failures are counted.
 * - `open`: no request leaves the process until `resetTimeout` has passed.
 * - `half-open`: exactly one probe request may go; its outcome closes or re-opens the circuit.
 */
export type CircuitState = "closed" | "open" | "half-open";

/**
 * The breaker's full state: the public {@link CircuitState} as `kind`, plus what each state
 * needs. Times are epoch milliseconds from the scheduler (`scheduler.now()`).
 */
export type BreakerState =
  | { readonly kind: "closed"; readonly consecutiveFailures: number }
  | { readonly kind: "open"; readonly openedAt: number; readonly reopenAt: number }
  | { readonly kind: "half-open"; readonly probeInFlight: boolean };

/**
 * What can happen to the breaker.
 * - `success` / `failure`: an attempt's outcome (a failure that counts, see `classifyFailure`).
 * - `reset-timer-elapsed`: the open state's timer fired at `at`.
 * - `probe-started` / `probe-abandoned`: the half-open probe was sent / ended without an
 *   outcome (unsubscribed, or a failure that says nothing about the server).
 * - `manual-reset`: `resetCircuit()`.
 */
export type CircuitEvent =
  | { readonly type: "success" }
  | { readonly type: "failure"; readonly at: number }
  | { readonly type: "reset-timer-elapsed"; readonly at: number }
  | { readonly type: "probe-started" }
  | { readonly type: "probe-abandoned" }
  | { readonly type: "manual-reset" };

/**
 * The state a breaker starts in: closed, no failures.
 *
 * @example
 * events$.pipe(scan((state, event) => reduceCircuit(state, event, options), INITIAL_BREAKER_STATE));
 */
export const INITIAL_BREAKER_STATE: BreakerState = Object.freeze({ kind: "closed", consecutiveFailures: 0 });

const HALF_OPEN_IDLE: BreakerState = Object.freeze({ kind: "half-open", probeInFlight: false });
const HALF_OPEN_PROBING: BreakerState = Object.freeze({ kind: "half-open", probeInFlight: true });

function opened(at: number, resetTimeoutSeconds: number): BreakerState {
  return Object.freeze({ kind: "open", openedAt: at, reopenAt: at + resetTimeoutSeconds * 1000 });
}

/**
 * The circuit breaker as a pure reducer (STYLE.md point 10, PROTOCOL.md §4.2). Returns the
 * same object when an event changes nothing, so `distinctUntilChanged()` drops it.
 *
 * | state | event | next state |
 * |---|---|---|
 * | closed(n) | success | closed(0) |
 * | closed(n) | failure at t | closed(n+1), or open from t if n+1 ≥ failureThreshold |
 * | open | reset-timer-elapsed at t ≥ reopenAt | half-open, no probe |
 * | open | success, failure | unchanged: a late answer to a request sent before the circuit opened neither closes it nor extends it |
 * | half-open | probe-started | half-open, probe in flight |
 * | half-open | probe-abandoned | half-open, no probe |
 * | half-open | success | closed(0) |
 * | half-open | failure at t | open from t for another resetTimeout |
 * | any | manual-reset | closed(0) |
 *
 * Anything else leaves the state unchanged (for instance a stale reset timer, whose `at` is
 * before `reopenAt`).
 *
 * @example
 * reduceCircuit({ kind: "closed", consecutiveFailures: 4 }, { type: "failure", at: 1000 }, { failureThreshold: 5, resetTimeout: 30 });
 * // { kind: "open", openedAt: 1000, reopenAt: 31000 }
 */
export function reduceCircuit(state: BreakerState, event: CircuitEvent, options: Required<CircuitBreakerOptions>): BreakerState {
  if (event.type === "manual-reset") {
    return state.kind === "closed" && state.consecutiveFailures === 0 ? state : INITIAL_BREAKER_STATE;
  }
  switch (state.kind) {
    case "closed":
      if (event.type === "success") return state.consecutiveFailures === 0 ? state : INITIAL_BREAKER_STATE;
      if (event.type === "failure") {
        const consecutiveFailures = state.consecutiveFailures + 1;
        return consecutiveFailures >= options.failureThreshold
          ? opened(event.at, options.resetTimeout)
          : Object.freeze({ kind: "closed", consecutiveFailures });
      }
      return state;
    case "open":
      return event.type === "reset-timer-elapsed" && event.at >= state.reopenAt ? HALF_OPEN_IDLE : state;
    case "half-open":
      switch (event.type) {
        case "success":
          return INITIAL_BREAKER_STATE;
        case "failure":
          return opened(event.at, options.resetTimeout);
        case "probe-started":
          return state.probeInFlight ? state : HALF_OPEN_PROBING;
        case "probe-abandoned":
          return state.probeInFlight ? HALF_OPEN_IDLE : state;
        default:
          return state;
      }
  }
}
