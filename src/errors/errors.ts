import { redactSecrets } from "./redact-secrets";
import { RollgateError, type RollgateErrorOptions } from "./rollgate-error";

// Every constructor below that takes text from outside (a server's body, a header, a transport's
// message, a payload's keys) redacts it here, so that no path can quote a credential by
// forgetting to (issue 13 item 9). Redacting text that is already redacted changes nothing.
const clean = (text: string | undefined): string | undefined => (text === undefined ? undefined : redactSecrets(text));

/** An option given to `new RollgateClient(...)` is invalid. Thrown by the constructor. */
export class RollgateConfigError extends RollgateError {
  readonly code = "CONFIG_INVALID";
  readonly retryable = false;
  /** The option's path, e.g. `refreshInterval` or `retry.maxRetries`. */
  readonly option: string;

  constructor(option: string, message: string, options?: RollgateErrorOptions) {
    super(message, options);
    this.option = option;
  }
}

/** The server refused the API key (401) or its permissions (403). Retrying cannot help. */
export class AuthenticationError extends RollgateError {
  readonly code = "AUTH_FAILED";
  readonly retryable = false;
  readonly status: number;

  constructor(status: number, options?: RollgateErrorOptions) {
    super(
      status === 403
        ? "Rollgate refused the API key's permissions (HTTP 403). Use a server-side key for this environment."
        : "Rollgate rejected the API key (HTTP 401). Check the apiKey option: it must be a valid key for this environment.",
      options,
    );
    this.status = status;
  }
}

/** The server is rate-limiting this client (429). */
export class RateLimitError extends RollgateError {
  readonly code = "RATE_LIMITED";
  readonly retryable = true;
  readonly status = 429;
  /** Seconds the server asked us to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | undefined;

  constructor(retryAfter: number | undefined, options?: RollgateErrorOptions) {
    super(
      `Rollgate is rate-limiting this client (HTTP 429)${retryAfter === undefined ? "" : `; retry after ${retryAfter} s`}. ` +
        "Lower the polling frequency or share one client per process.",
      options,
    );
    this.retryAfter = retryAfter;
  }
}

/** The server failed (5xx) or timed the request out on its side (408). */
export class ServerError extends RollgateError {
  readonly code = "SERVER_ERROR";
  readonly retryable = true;
  readonly status: number;
  /** Seconds the server asked us to wait (`Retry-After` on 503), when it said. */
  readonly retryAfter: number | undefined;

  constructor(status: number, detail: string | undefined, retryAfter?: number, options?: RollgateErrorOptions) {
    detail = clean(detail);
    super(
      `Rollgate answered HTTP ${status}${detail ? ` (${detail})` : ""}. ` +
        "The client keeps serving its last flags and retries with backoff.",
      options,
    );
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/** The server rejected the request itself (a 4xx other than 401/403/408/429). Not retried. */
export class RequestError extends RollgateError {
  readonly code = "REQUEST_REJECTED";
  readonly retryable = false;
  readonly status: number;

  constructor(status: number, detail: string | undefined, options?: RollgateErrorOptions) {
    detail = clean(detail);
    super(
      `Rollgate rejected the request with HTTP ${status}${detail ? ` (${detail})` : ""}. ` +
        "Check baseUrl and the user context; this will not be retried.",
      options,
    );
    this.status = status;
  }
}

/** The request never got an HTTP answer: DNS, refused connection, reset socket. */
export class NetworkError extends RollgateError {
  readonly code = "NETWORK_ERROR";
  readonly retryable = true;

  constructor(detail: string, options?: RollgateErrorOptions) {
    super(`Could not reach Rollgate: ${redactSecrets(detail)}. The client keeps serving its last flags and retries with backoff.`, options);
  }
}

/** One attempt took longer than the `timeout` option. */
export class TimeoutError extends RollgateError {
  readonly code = "TIMEOUT";
  readonly retryable = true;
  /** The limit that was exceeded, in seconds. */
  readonly timeout: number;

  constructor(timeout: number, options?: RollgateErrorOptions) {
    super(`Rollgate did not answer within ${timeout} s (the timeout option). The client retries with backoff.`, options);
    this.timeout = timeout;
  }
}

/** One problem found while validating a payload. */
export interface PayloadIssue {
  /** Where in the payload, e.g. `flags.theme.enabled`; empty for the whole payload. */
  readonly path: string;
  readonly message: string;
}

/** A response (or SSE event, or cache file) failed validation. Nothing of it was applied. */
export class PayloadError extends RollgateError {
  readonly code = "PAYLOAD_INVALID";
  readonly retryable = true;
  /** Where the payload came from, e.g. `GET /api/v1/sdk/v2/flags`. */
  readonly source: string;
  readonly issues: readonly PayloadIssue[];

  constructor(source: string, foreignIssues: readonly PayloadIssue[], options?: RollgateErrorOptions) {
    // Paths are the payload's own keys and messages may quote it: both are foreign text.
    const issues = foreignIssues.map((issue) => Object.freeze({ path: redactSecrets(issue.path), message: redactSecrets(issue.message) }));
    const first = issues[0];
    const detail = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "invalid payload";
    super(
      `Rejected an invalid payload from ${source}: ${detail}${issues.length > 1 ? ` (and ${issues.length - 1} more issues)` : ""}. ` +
        "The last good flags are kept.",
      options,
    );
    this.source = source;
    this.issues = issues;
  }
}

/** The circuit breaker is open: no request left the process. */
export class CircuitOpenError extends RollgateError {
  readonly code = "CIRCUIT_OPEN";
  readonly retryable = true;

  constructor(options?: RollgateErrorOptions) {
    super(
      "The circuit breaker is open after repeated failures, so no request was sent. " +
        "Flags are served from the last snapshot; the breaker probes again after resetTimeout, or call resetCircuit().",
      options,
    );
  }
}

/** The client was closed; the operation was not performed. */
export class ClientClosedError extends RollgateError {
  readonly code = "CLIENT_CLOSED";
  readonly retryable = false;

  constructor(operation: string, options?: RollgateErrorOptions) {
    super(`${operation} was called after close(); create a new RollgateClient instead.`, options);
  }
}

/** The persistent cache could not be read or written. Never fatal: the client falls back to memory. */
export class CacheError extends RollgateError {
  readonly code = "CACHE_ERROR";
  readonly retryable = false;

  constructor(message: string, options?: RollgateErrorOptions) {
    super(message, options);
  }
}
