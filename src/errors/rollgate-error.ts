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
 * Marks every rollgate error with the names of its classes. `Symbol.for` gives the same symbol
 * in every copy of rollgate loaded in a process (the ESM and CommonJS builds, two versions in
 * node_modules), so `instanceof` recognises an error whichever copy created it.
 */
const LINEAGE = Symbol.for("rollgate.error.lineage");

/** The class names from the error's own class up to `RollgateError`, e.g. `["FlagsFileError", "RollgateConfigError", "RollgateError"]`. */
function lineageOf(constructor: abstract new (...args: never[]) => unknown): readonly string[] {
  const names: string[] = [];
  for (let current: unknown = constructor; typeof current === "function" && current !== Error; current = Object.getPrototypeOf(current)) {
    names.push((current as { name: string }).name);
  }
  return Object.freeze(names);
}

/**
 * Base class of every error rollgate produces. Messages say what happened and what to do,
 * and never contain the API key.
 *
 * `instanceof` works across copies of rollgate (`rollgate` and `rollgate/server`, the ESM and
 * CommonJS builds): it checks a brand rather than the prototype chain. `RollgateError.isRollgateError(x)`
 * is the same test for the base class, as a function.
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
    Object.defineProperty(this, LINEAGE, { value: lineageOf(new.target) });
  }

  /**
   * Whether `value` is an error from any copy of rollgate.
   *
   * @example
   * if (RollgateError.isRollgateError(error)) res.status(503).json({ code: error.code });
   */
  static isRollgateError(value: unknown): value is RollgateError {
    return typeof value === "object" && value !== null && Array.isArray((value as Record<symbol, unknown>)[LINEAGE]);
  }

  /**
   * `error instanceof SomeRollgateErrorClass`: true when the error (from any copy of rollgate)
   * was made by a class of that name or a subclass of it; for other values, the usual test.
   */
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    if (typeof value !== "object" || value === null) return false;
    const lineage = (value as Record<symbol, unknown>)[LINEAGE];
    if (Array.isArray(lineage)) return lineage.includes(this.name);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
