import type { RollgateError } from "../errors";
import { classifyFailure } from "../resilience/classify-failure";

/**
 * What to do with a batch (of events, or of telemetry counters) whose send failed for good
 * (after the retries of `gatedRequest`):
 *
 * | kind | when | what |
 * |---|---|---|
 * | `retry-later` | network, timeout, 408, 429, 5xx, circuit open | keep it, send it again at the next flush (not before `retryAfter`) |
 * | `drop` | any other 4xx (400, 404, 413, ...) | it can never succeed: drop it, warn once |
 * | `stop` | 401, 403 | a refused key cannot heal: stop sending for the client's life |
 * | `closed` | the client closed while sending | keep it; `close()` decides |
 */
export type DeliveryFailure =
  | { readonly kind: "retry-later"; readonly error: RollgateError; readonly retryAfter: number | undefined }
  | { readonly kind: "drop" | "stop" | "closed"; readonly error: RollgateError };

/**
 * Classifies a failed send of events or telemetry (see {@link DeliveryFailure}).
 *
 * @example
 * const failure = classifyDeliveryFailure(error);
 * if (failure.kind === "stop") logger.error(failure.error.message);
 */
export function classifyDeliveryFailure(error: unknown): DeliveryFailure {
  const failure = classifyFailure(error);
  const { error: typed } = failure;
  switch (typed.code) {
    case "AUTH_FAILED":
      return { kind: "stop", error: typed };
    case "CLIENT_CLOSED":
      return { kind: "closed", error: typed };
    case "RATE_LIMITED":
    case "SERVER_ERROR":
    case "NETWORK_ERROR":
    case "TIMEOUT":
    case "CIRCUIT_OPEN":
      return { kind: "retry-later", error: typed, retryAfter: failure.retryAfter };
    default:
      return { kind: "drop", error: typed };
  }
}
