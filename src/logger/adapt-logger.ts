import type { Logger } from "./logger";

type LogLevel = keyof Logger;
type Context = Record<string, unknown>;

/**
 * Any logger rollgate accepts: an object with some of `debug`/`info`/`warn`/`error`, or with a
 * winston-style `log(level, message, meta)`. pino, bunyan, winston and `console` all fit.
 */
export type LoggerLike = {
  readonly [L in LogLevel]?: (...args: never[]) => unknown;
} & {
  readonly log?: (...args: never[]) => unknown;
};

/**
 * How a logger wants its arguments.
 * - `message-first`: `(message, context)`: rollgate's own `Logger`, winston, `console`.
 * - `object-first`: `(context, message)`: pino and bunyan, which merge the object into the
 *   record (pino drops a trailing object after a message; bunyan formats it into the text).
 */
export type LoggerCallStyle = "message-first" | "object-first";

const isRecord = (value: unknown): value is Record<PropertyKey, unknown> => typeof value === "object" && value !== null;

/**
 * Recognises pino and bunyan by members they document, never by calling anything:
 * pino has `levels.values`, `child()` and `bindings()` (and the `Symbol.for("pino.serializers")`
 * property); bunyan has a `levels()` method, `child()` and a `streams` array.
 *
 * @example
 * loggerCallStyle(pino()); // "object-first"
 * loggerCallStyle(console); // "message-first"
 */
export function loggerCallStyle(logger: object): LoggerCallStyle {
  try {
    const candidate = logger as Record<PropertyKey, unknown>;
    const levels = candidate["levels"];
    const child = typeof candidate["child"] === "function";
    if (child && isRecord(levels) && isRecord(levels["values"]) && typeof candidate["bindings"] === "function") return "object-first";
    if (Symbol.for("pino.serializers") in logger) return "object-first";
    if (child && typeof levels === "function" && Array.isArray(candidate["streams"])) return "object-first";
  } catch {
    // A proxy or getter that throws tells us nothing: use rollgate's own convention.
  }
  return "message-first";
}

/** Level names a logger with custom levels may use instead of ours (winston's syslog levels say "warning"). */
const SYNONYMS: Readonly<Record<LogLevel, readonly string[]>> = {
  debug: ["debug"],
  info: ["info"],
  warn: ["warn", "warning"],
  error: ["error"],
};

/**
 * Calls the logger for one entry. Methods are looked up on every call, not once: pino replaces
 * an instance's level methods when its `level` changes.
 */
function emit(target: Record<PropertyKey, unknown>, level: LogLevel, style: LoggerCallStyle, message: string, context: Context | undefined): void {
  const method = target[level];
  if (typeof method === "function") {
    const fn = method as (...args: unknown[]) => unknown;
    // A console's warn(message, undefined) would print "undefined": pass the context only when there is one.
    if (context === undefined) fn.call(target, message);
    else if (style === "object-first") fn.call(target, context, message);
    else fn.call(target, message, context);
    return;
  }
  const log = target["log"];
  if (typeof log !== "function") return;
  const levels = target["levels"];
  // winston with custom levels: use the name it knows for this level; a level it lacks is dropped.
  const name = isRecord(levels) ? SYNONYMS[level].find((candidate) => candidate in levels) : level;
  if (name === undefined) return;
  if (context === undefined) log.call(target, name, message);
  else log.call(target, name, message, context);
}

/**
 * Turns any {@link LoggerLike} into rollgate's `Logger`, calling it the way it expects (see
 * {@link loggerCallStyle}; pass `style` when detection cannot see through a wrapper). A logger
 * that throws can never break the client: its errors are swallowed.
 *
 * @example
 * new RollgateClient({ apiKey, logger: pino() });                        // detected: (context, message)
 * new RollgateClient({ apiKey, logger: adaptLogger(myPinoWrapper, "object-first") });
 */
export function adaptLogger(logger: LoggerLike, style: LoggerCallStyle = loggerCallStyle(logger)): Logger {
  const target = logger as unknown as Record<PropertyKey, unknown>;
  const contained =
    (level: LogLevel) =>
    (message: string, context?: Context): void => {
      try {
        emit(target, level, style, message, context);
      } catch {
        // A broken logger must not break flag evaluation or background work.
      }
    };
  return Object.freeze({ debug: contained("debug"), info: contained("info"), warn: contained("warn"), error: contained("error") });
}

/**
 * Wraps a user-supplied logger so that a logger that throws can never break the client, calling
 * it the way it expects (pino and bunyan get `(context, message)`). Same as `adaptLogger(logger)`.
 *
 * @example
 * const logger = containLogger(pino());
 */
export function containLogger(logger: LoggerLike): Logger {
  return adaptLogger(logger);
}
