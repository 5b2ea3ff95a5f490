/** Where rollgate sends its messages. Every method is optional to implement via `createLogger`. */
export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

function writeToStderr(level: string, message: string, context?: Record<string, unknown>): void {
  let line = `[rollgate] ${level}: ${message}`;
  if (context && Object.keys(context).length > 0) {
    try {
      line += ` ${JSON.stringify(context)}`;
    } catch {
      // A context that cannot be serialised is dropped rather than breaking the log line.
    }
  }
  process.stderr.write(`${line}\n`);
}

/** The default logger: quiet, but warnings and errors go to stderr. */
export const defaultLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn: (message: string, context?: Record<string, unknown>) => writeToStderr("warn", message, context),
  error: (message: string, context?: Record<string, unknown>) => writeToStderr("error", message, context),
});
