import * as z from "zod/mini";
import { DURATION_BOUNDS, durationSchema } from "../options/duration-schema";

/**
 * Evaluation telemetry (PROTOCOL.md §1.6): how often the per-flag evaluation counters are sent.
 * `telemetry: false` counts nothing and sends nothing.
 *
 * @example
 * new RollgateClient({ apiKey, telemetry: { flushInterval: 300 } });
 */
export interface TelemetryOptions {
  /**
   * Seconds between two sends of the counters.
   * @default 60
   */
  readonly flushInterval?: number;
}

/** {@link TelemetryOptions} with every default applied. */
export type ResolvedTelemetryOptions = Readonly<Required<TelemetryOptions>>;

/**
 * The defaults of {@link TelemetryOptions}: the official SDKs' interval (§5.1).
 *
 * @example
 * const interval = options.telemetry?.flushInterval ?? DEFAULT_TELEMETRY_OPTIONS.flushInterval;
 */
export const DEFAULT_TELEMETRY_OPTIONS: ResolvedTelemetryOptions = Object.freeze({
  flushInterval: 60,
});

/**
 * Validates the `telemetry` option: `false`, or {@link TelemetryOptions}. Unknown keys are
 * rejected.
 *
 * @example
 * telemetryOptionSchema.safeParse({ flushInterval: -1 }, IN_ENGLISH).success; // false
 */
export const telemetryOptionSchema = z.optional(
  z.union([z.literal(false), z.strictObject({ flushInterval: z.optional(durationSchema("a telemetry flush interval", DURATION_BOUNDS.telemetryFlushInterval)) })], {
    error: "expected false or { flushInterval? }",
  }),
);

/**
 * Applies {@link DEFAULT_TELEMETRY_OPTIONS} to the (already validated) `telemetry` option;
 * `false` stays `false`.
 *
 * @example
 * resolveTelemetryOptions({}); // { flushInterval: 60 }
 */
export function resolveTelemetryOptions(options: false | TelemetryOptions | undefined): ResolvedTelemetryOptions | false {
  if (options === false) return false;
  return Object.freeze({ flushInterval: options?.flushInterval ?? DEFAULT_TELEMETRY_OPTIONS.flushInterval });
}
