import type { TelemetryStatus } from "../model/rollgate-status";
import type { EvaluationCounts } from "../transport/delivery-bodies";

/**
 * What `getTelemetryStats()` returns: the counters of the period not yet sent, and the totals
 * since the start.
 *
 * @example
 * const { evaluations, periodMs } = client.getTelemetryStats();
 * evaluations["new-checkout"]; // { total: 10, true: 7, false: 3 }
 */
export interface TelemetryStats extends TelemetryStatus {
  /** Evaluations counted and not yet delivered, per flag. */
  readonly evaluations: Readonly<Record<string, EvaluationCounts>>;
  /** Milliseconds since the period began (the last delivered flush, or the start). */
  readonly periodMs: number;
}
