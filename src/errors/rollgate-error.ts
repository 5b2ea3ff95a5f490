/** Every stable error code rollgate produces. Match on `code`, not on messages. */
export type RollgateErrorCode =
  | "CONFIG_INVALID"
  | "AUTH_FAILED"
  | "RATE_LIMITED"
  | "SERVER_ERROR"
  | "REQUEST_REJECTED"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "PAYLOAD_INVALID"
  | "CIRCUIT_OPEN"
  | "CLIENT_CLOSED"
  | "CACHE_ERROR";

export interface RollgateErrorOptions {
  readonly cause?: unknown;
}

/**
 * Base class of every error rollgate produces. Messages say what happened and what to do,
 * and never contain the API key.
 *
 * @example
 * try { await client.init(); } catch (e) { if (e instanceof RollgateError) log(e.code); }
 */
export abstract class RollgateError extends Error {
  abstract readonly code: RollgateErrorCode;
  /** Whether trying again later may succeed. */
  abstract readonly retryable: boolean;

  constructor(message: string, options: RollgateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}
