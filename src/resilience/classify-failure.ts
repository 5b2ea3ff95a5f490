import {
  AuthenticationError,
  NetworkError,
  RateLimitError,
  RequestError,
  RollgateError,
  ServerError,
} from "../errors";
import { errorBodyDetail, errorDetail } from "./error-detail";
import { parseRetryAfter } from "./retry-after";

/**
 * Turns an HTTP error response into the matching typed error. The status decides the class
 * (PROTOCOL.md §4.1, "errors are classified by status first"); the body only adds detail.
 *
 * | status | error |
 * |---|---|
 * | 401, 403 | `AuthenticationError` |
 * | 429 | `RateLimitError`, `retryAfter` from the header |
 * | 408, 500–599 | `ServerError`, `retryAfter` from the header on 503 |
 * | other 400–499 | `RequestError` |
 * | below 400 (an unexpected 1xx/2xx/3xx the caller treats as failure) | `RequestError`: the server answered, but not in the protocol; check `baseUrl` |
 * | 600 and above (non-standard) | `ServerError` |
 *
 * The detail comes from the body's §1.8 shapes (`"<code>: <message>"`) or its text, redacted
 * of anything that looks like a credential and cut to 200 characters. Request headers are
 * never involved, so the API key cannot be echoed from them.
 *
 * @param status The HTTP status code.
 * @param retryAfterHeader The raw `Retry-After` header, or `null` when absent.
 * @param body The response body as text (`""` when there was none).
 * @param nowMs Current time in epoch milliseconds (`scheduler.now()`), to read HTTP-date `Retry-After`s.
 *
 * @example
 * const error = httpFailureToError(response.status, response.headers.get("retry-after"), await response.text(), scheduler.now());
 */
export function httpFailureToError(status: number, retryAfterHeader: string | null, body: string, nowMs: number): RollgateError {
  if (status === 401 || status === 403) return new AuthenticationError(status);
  if (status === 429) return new RateLimitError(parseRetryAfter(retryAfterHeader, nowMs));
  const detail = errorBodyDetail(body);
  if (status === 408 || status >= 500) {
    return new ServerError(status, detail, status === 503 ? parseRetryAfter(retryAfterHeader, nowMs) : undefined);
  }
  return new RequestError(status, detail);
}

/**
 * How one failed attempt is handled: the retry loop reads `retryable` and `retryAfter`, the
 * circuit breaker reads `countsForBreaker` and `serverAnswered`, the client reads `terminal`.
 */
export interface FailureClass {
  /** The failure as a typed error; what callers finally see. */
  readonly error: RollgateError;
  /**
   * Whether the retry loop tries again within the same cycle (after backoff). Narrower than
   * `error.retryable` ("a later try may succeed"): a `PayloadError` or `CircuitOpenError` may
   * succeed on the next poll, but not on an immediate retry.
   */
  readonly retryable: boolean;
  /** Whether this attempt is one consecutive failure for the circuit breaker (PROTOCOL.md §4.2). */
  readonly countsForBreaker: boolean;
  /**
   * Whether an HTTP response arrived, proving the server reachable. For the breaker, a
   * failure that does not count but where the server answered (a 4xx, a bad payload) is as
   * good as a success: it resets the consecutive-failure count and closes a half-open circuit.
   */
  readonly serverAnswered: boolean;
  /**
   * Whether background work (polling, streaming) must stop until an explicit action
   * (`refresh()`, `identify()`, `resetCircuit()`): a wrong key cannot heal itself (§4.2).
   * Also true for a closed client and an invalid configuration.
   */
  readonly terminal: boolean;
  /** Seconds the server asked us to wait before the next attempt, when it said (429, 503). */
  readonly retryAfter?: number;
}

interface Handling {
  readonly retryable: boolean;
  readonly countsForBreaker: boolean;
  readonly serverAnswered: boolean;
  readonly terminal: boolean;
}

const handling = (retryable: boolean, countsForBreaker: boolean, serverAnswered: boolean, terminal: boolean): Handling =>
  Object.freeze({ retryable, countsForBreaker, serverAnswered, terminal });

// The whole policy in one table (STYLE.md point 7). Columns: retried now, counts for the
// breaker, server answered, terminal.
const HANDLING_BY_CODE: Readonly<Record<RollgateError["code"], Handling>> = Object.freeze({
  // 401/403: retrying cannot succeed; the server answered, so availability is fine (§4.2).
  AUTH_FAILED: handling(false, false, true, true),
  // 400/404/…: the request itself is wrong; the server answering proves it is up.
  REQUEST_REJECTED: handling(false, false, true, false),
  // 429 and 408/5xx signal unavailability (§4.2): retry with backoff, count for the breaker.
  RATE_LIMITED: handling(true, true, true, false),
  SERVER_ERROR: handling(true, true, true, false),
  // No answer at all.
  NETWORK_ERROR: handling(true, true, false, false),
  TIMEOUT: handling(true, true, false, false),
  // A bad body would be bad again on an immediate retry; the next poll tries again. The
  // server did answer, so this is not an availability failure.
  PAYLOAD_INVALID: handling(false, false, true, false),
  // No request left the process: neither retried now nor evidence about the server.
  CIRCUIT_OPEN: handling(false, false, false, false),
  CLIENT_CLOSED: handling(false, false, false, true),
  CONFIG_INVALID: handling(false, false, false, true),
  CACHE_ERROR: handling(false, false, false, false),
});

function stringProperty(value: unknown, key: "message" | "name"): string {
  if (typeof value !== "object" || value === null) return "";
  const property: unknown = (value as Record<string, unknown>)[key];
  return typeof property === "string" ? property : "";
}

// Duck-typed rather than `instanceof Error`: a DOMException (AbortError, TimeoutError) or an
// error from another realm is not always an instance of this realm's Error.
function describeForeignError(error: unknown): string {
  if (typeof error === "string") return error;
  const message = stringProperty(error, "message") || stringProperty(error, "name");
  if (message === "") return "unknown failure";
  // undici reports "fetch failed" and puts the useful part ("connect ECONNREFUSED …") in `cause`.
  const cause = typeof error === "object" && error !== null ? (error as { cause?: unknown }).cause : undefined;
  const causeMessage = stringProperty(cause, "message");
  return causeMessage !== "" && !message.includes(causeMessage) ? `${message}: ${causeMessage}` : message;
}

/**
 * Classifies any failure of a request attempt: one pure function decides the error class,
 * whether to retry now, whether it counts for the circuit breaker and whether it is terminal
 * (STYLE.md point 7).
 *
 * Anything that is not a `RollgateError` (a `TypeError` from fetch, an `AbortError`, a
 * string) becomes a `NetworkError` whose message is the original's, redacted and cut to 200
 * characters, with the original as `cause`.
 *
 * | error | retryable | countsForBreaker | serverAnswered | terminal |
 * |---|---|---|---|---|
 * | `AuthenticationError` (401/403) | no | no | yes | yes |
 * | `RequestError` (other 4xx) | no | no | yes | no |
 * | `RateLimitError` (429), `ServerError` (408, 5xx) | yes | yes | yes | no |
 * | `NetworkError`, `TimeoutError`, non-Rollgate errors | yes | yes | no | no |
 * | `PayloadError` | no | no | yes | no |
 * | `CircuitOpenError` | no | no | no | no |
 * | `ClientClosedError`, `RollgateConfigError` | no | no | no | yes |
 * | `CacheError` | no | no | no | no |
 *
 * @example
 * const failure = classifyFailure(error);
 * if (failure.terminal) stopPolling(failure.error);
 */
export function classifyFailure(error: unknown): FailureClass {
  const rollgateError =
    error instanceof RollgateError
      ? error
      : new NetworkError(errorDetail(describeForeignError(error)) ?? "unknown failure", { cause: error });
  const policy = HANDLING_BY_CODE[rollgateError.code];
  const retryAfter =
    rollgateError instanceof RateLimitError || rollgateError instanceof ServerError ? rollgateError.retryAfter : undefined;
  return retryAfter === undefined ? { error: rollgateError, ...policy } : { error: rollgateError, ...policy, retryAfter };
}
