import type { JsonValue } from "../model/flag-model";

/**
 * One conversion event as it goes on the wire (PROTOCOL.md §1.5): camelCase, absent optional
 * fields left out (never `null`), `timestamp` in RFC 3339 with a `T` (`Date#toISOString()`).
 * Built by `toConversionEvent`, which validates the caller's input.
 */
export interface ConversionEvent {
  readonly flagKey: string;
  readonly eventName: string;
  readonly userId: string;
  readonly variationId?: string;
  readonly value?: number;
  readonly metadata?: Readonly<Record<string, JsonValue>>;
  readonly timestamp: string;
}

/** One flag's evaluation counters for a period (PROTOCOL.md §1.6): integers, `total = true + false`. */
export interface EvaluationCounts {
  readonly total: number;
  readonly true: number;
  readonly false: number;
}

/**
 * The body of `POST /api/v1/sdk/telemetry` (PROTOCOL.md §1.6). `period_ms` is snake_case and a
 * whole number: the reference server refuses `12.5` with a 400.
 */
export interface TelemetryBody {
  readonly evaluations: Readonly<Record<string, EvaluationCounts>>;
  readonly period_ms: number;
}
