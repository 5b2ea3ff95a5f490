import type { RollgateError } from "../errors";
import type { Logger } from "../logger/logger";
import { classifyFailure } from "../resilience/classify-failure";
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
  /** This outage has had its one warning. */
  readonly warned: boolean;
}

/** One line to log. */
export interface OutageLogEntry {
  readonly level: keyof Logger;
  readonly message: string;
  readonly context: Record<string, unknown>;
}

export const INITIAL_OUTAGE_STATE: OutageState = Object.freeze({ circuit: "closed", lastError: undefined, failingSince: undefined, warned: false });

/** Whole tenths of a second: enough for an outage, and stable in tests. */
const seconds = (ms: number): number => Math.round(Math.max(0, ms) / 100) / 10;

function withCode(context: Record<string, unknown>, error: RollgateError | undefined): Record<string, unknown> {
  return error === undefined ? context : { ...context, code: error.code };
}

/**
 * The outage log as a pure reducer: given what it remembers, the new signals and the time,
 * the new memory and the lines to log. An outage (from the first failure or the circuit opening
 * until the circuit is closed and flags were fetched again) is **one warning**, whatever the
 * retry and breaker settings: with `retry: { maxRetries: 0 }` every failed probe is a failed
 * fetch, and each used to be a warning of its own. Each transition is logged once:
 *
 * | transition | level | says |
 * |---|---|---|
 * | a fetch of the default user's flags failed (after its retries) | warn for the outage's first, then debug | the error's message and code |
 * | circuit closed → open | warn if the outage has had no warning yet, else info | the error code, how long requests had been failing |
 * | circuit half-open → open (the probe failed) | debug | the same: a long outage is one warning, not one per reset timeout |
 * | circuit → half-open | debug | how long it has been failing |
 * | circuit → closed | info | how long the outage lasted (also after `resetCircuit()`) |
 * | failures → a success (flags recovered) | info | how long the failures lasted, the last code |
 *
 * A terminal failure (a refused key) is not an outage: the client logs it as an error itself.
 *
 * @example
 * const { state, entries } = reduceOutage(INITIAL_OUTAGE_STATE, { circuit: "open", lastError }, scheduler.now());
 */
export function reduceOutage(state: OutageState, signals: OutageSignals, now: number): { state: OutageState; entries: OutageLogEntry[] } {
  const entries: OutageLogEntry[] = [];
  const { circuit, lastError } = signals;
  let failingSince = state.failingSince;
  let warned = state.warned;
  if (lastError !== undefined && failingSince === undefined) failingSince = now;

  if (lastError !== undefined && lastError !== state.lastError && !classifyFailure(lastError).terminal) {
    entries.push({ level: warned ? "debug" : "warn", message: lastError.message, context: { code: lastError.code } });
    warned = true;
  }

  if (circuit !== state.circuit) {
    if (circuit === "open") {
      failingSince ??= now;
      const failingForSeconds = seconds(now - failingSince);
      if (state.circuit === "closed") {
        const code = lastError === undefined ? "" : ` (${lastError.code})`;
        entries.push({
          level: warned ? "info" : "warn",
          message: `The circuit breaker opened: requests to Rollgate have been failing for ${failingForSeconds} s${code}. No request is sent until the reset timeout passes; the last flags keep serving.`,
          context: withCode({ circuit, failingForSeconds }, lastError),
        });
        warned = true;
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
  }
  // Closed and answering again: the outage is over, and the next one gets its own warning.
  if (circuit === "closed" && lastError === undefined) {
    failingSince = undefined;
    warned = false;
  }

  return { state: { circuit, lastError, failingSince, warned }, entries };
}
