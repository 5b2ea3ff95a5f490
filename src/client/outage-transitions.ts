import type { RollgateError } from "../errors";
import type { Logger } from "../logger/logger";
import type { CircuitState } from "../model/rollgate-status";

/** What the outage log watches: the circuit, and the last failure (cleared by the next success). */
export interface OutageSignals {
  readonly circuit: CircuitState;
  readonly lastError: RollgateError | undefined;
}

/** What the outage log remembers between signals. Times are scheduler milliseconds. */
export interface OutageState {
  readonly circuit: CircuitState;
  readonly lastError: RollgateError | undefined;
  /** When the current run of failures began (first failure, or the circuit opening if that came first). */
  readonly failingSince: number | undefined;
}

/** One line to log. */
export interface OutageLogEntry {
  readonly level: keyof Logger;
  readonly message: string;
  readonly context: Record<string, unknown>;
}

export const INITIAL_OUTAGE_STATE: OutageState = Object.freeze({ circuit: "closed", lastError: undefined, failingSince: undefined });

/** Whole tenths of a second: enough for an outage, and stable in tests. */
const seconds = (ms: number): number => Math.round(Math.max(0, ms) / 100) / 10;

function withCode(context: Record<string, unknown>, error: RollgateError | undefined): Record<string, unknown> {
  return error === undefined ? context : { ...context, code: error.code };
}

/**
 * The outage log as a pure reducer: given what it remembers, the new signals and the time,
 * the new memory and the lines to log. Each transition is logged once, at the level an on-call
 * engineer expects:
 *
 * | transition | level | says |
 * |---|---|---|
 * | circuit closed → open | warn | the error code, how long requests had been failing |
 * | circuit half-open → open (the probe failed) | debug | the same: a long outage is one warning, not one per reset timeout |
 * | circuit → half-open | debug | how long it has been failing |
 * | circuit → closed | info | how long the outage lasted (also after `resetCircuit()`) |
 * | failures → a success (flags recovered) | info | how long the failures lasted, the last code |
 *
 * A failure itself is not logged here: the client warns about each failed fetch already.
 *
 * @example
 * const { state, entries } = reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "open", lastError }, scheduler.now());
 */
export function reduceOutage(state: OutageState, signals: OutageSignals, now: number): { state: OutageState; entries: OutageLogEntry[] } {
  const entries: OutageLogEntry[] = [];
  const { circuit, lastError } = signals;
  let failingSince = state.failingSince;
  if (lastError !== undefined && failingSince === undefined) failingSince = now;

  if (circuit !== state.circuit) {
    if (circuit === "open") {
      failingSince ??= now;
      const failingForSeconds = seconds(now - failingSince);
      if (state.circuit === "closed") {
        const code = lastError === undefined ? "" : ` (${lastError.code})`;
        entries.push({
          level: "warn",
          message: `The circuit breaker opened: requests to Rollgate have been failing for ${failingForSeconds} s${code}. No request is sent until the reset timeout passes; the last flags keep serving.`,
          context: withCode({ circuit, failingForSeconds }, lastError),
        });
      } else {
        entries.push({
          level: "debug",
          message: `The probe request failed; the circuit breaker is open again (failing for ${failingForSeconds} s).`,
          context: withCode({ circuit, failingForSeconds }, lastError),
        });
      }
    } else if (circuit === "half-open") {
      const failingForSeconds = seconds(now - (failingSince ?? now));
      entries.push({ level: "debug", message: "The circuit breaker is half-open: the next request probes Rollgate.", context: { circuit, failingForSeconds } });
    } else {
      const outageSeconds = seconds(now - (failingSince ?? now));
      entries.push({
        level: "info",
        message: `The circuit breaker closed after an outage of ${outageSeconds} s; requests to Rollgate resume.`,
        context: { circuit, outageSeconds },
      });
    }
  }

  if (state.lastError !== undefined && lastError === undefined) {
    const outageSeconds = seconds(now - (failingSince ?? now));
    entries.push({
      level: "info",
      message: `Rollgate answered again after ${outageSeconds} s of failures; flags are up to date.`,
      context: { outageSeconds, lastCode: state.lastError.code },
    });
    failingSince = circuit === "closed" ? undefined : failingSince;
  }

  return { state: { circuit, lastError, failingSince }, entries };
}
