import { format as utilFormat } from "node:util";

/**
 * Faithful fakes of pino 9, bunyan 1 and winston 3 (none is a dependency of rollgate): each has
 * the members those libraries' instances have that matter for detection, and turns a call into
 * the record the library would write, following its source:
 *
 * - pino (lib/tools.js `genLog`): an object first argument is merged into the record and the
 *   next argument is the message; a string first argument is the message, and further arguments
 *   only fill `%s`-style placeholders (quick-format-unescaped), so a trailing object is dropped.
 * - bunyan (lib/bunyan.js `mkRecord`): a plain object first argument is merged into the record,
 *   the rest are `util.format`ted into `msg`; otherwise all arguments are formatted into `msg`.
 * - winston (lib/winston/logger.js): `info(msg, meta)` is `log("info", msg, meta)`, which writes
 *   `{ ...meta, level, message }` when the message has no `%` placeholders; levels it does not
 *   define have no method (the syslog levels say `warning`, not `warn`).
 */

export type LogRecord = Record<string, unknown>;

/** pino's placeholder substitution, reduced to what our messages can contain (no `%`): extra args are ignored. */
function quickFormat(message: unknown, args: unknown[]): string {
  const text = String(message);
  if (!/%[sdifjoO%]/.test(text)) return text;
  let i = 0;
  return text.replace(/%[sdifjoO%]/g, (token) => (token === "%%" ? "%" : String(args[i++])));
}

export function fakePino(): { logger: Record<PropertyKey, unknown>; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const values = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
  const logger: Record<PropertyKey, unknown> = {
    level: "trace",
    levels: { values, labels: Object.fromEntries(Object.entries(values).map(([k, v]) => [v, k])) },
    child: () => logger,
    bindings: () => ({}),
    isLevelEnabled: () => true,
    [Symbol.for("pino.serializers")]: {},
  };
  for (const [name, level] of Object.entries(values)) {
    logger[name] = function (this: unknown, o: unknown, ...n: unknown[]): void {
      if (typeof o === "object" && o !== null) {
        const msg = n.shift();
        records.push({ level, ...(o as LogRecord), ...(msg === undefined ? {} : { msg: quickFormat(msg, n) }) });
      } else {
        records.push({ level, msg: quickFormat(o, n) });
      }
    };
  }
  return { logger, records };
}

export function fakeBunyan(): { logger: Record<PropertyKey, unknown>; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const values = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
  const logger: Record<PropertyKey, unknown> = {
    streams: [],
    fields: { name: "app" },
    serializers: null,
    levels: () => [10],
    child: () => logger,
  };
  for (const [name, level] of Object.entries(values)) {
    logger[name] = function (...args: unknown[]): void {
      const first = args[0];
      if (typeof first === "object" && first !== null && !Array.isArray(first) && !(first instanceof Error)) {
        records.push({ name: "app", level, ...(first as LogRecord), msg: utilFormat(...args.slice(1)) });
      } else {
        records.push({ name: "app", level, msg: utilFormat(...args) });
      }
    };
  }
  return { logger, records };
}

export function fakeWinston(levelNames: readonly string[] = ["error", "warn", "info", "http", "verbose", "debug", "silly"]): {
  logger: Record<PropertyKey, unknown>;
  records: LogRecord[];
} {
  const records: LogRecord[] = [];
  const levels = Object.fromEntries(levelNames.map((name, i) => [name, i]));
  const logger: Record<PropertyKey, unknown> = {
    levels,
    level: levelNames[levelNames.length - 1],
    transports: [],
    add: () => logger,
    child: () => logger,
    log(level: string, msg: unknown, ...splat: unknown[]): unknown {
      if (!(level in levels)) throw new Error(`[winston] Unknown logger level: ${level}`);
      const [meta] = splat;
      if (typeof meta === "object" && meta !== null && !/%[scdjifoO%]/.test(String(msg))) {
        records.push({ ...(meta as LogRecord), level, message: msg });
      } else if (splat.length === 0) {
        records.push({ level, message: msg });
      } else {
        records.push({ level, message: utilFormat(msg, ...splat) });
      }
      return logger;
    },
  };
  for (const name of levelNames) {
    logger[name] = (...args: unknown[]): unknown => (logger["log"] as (...a: unknown[]) => unknown)(name, ...args);
  }
  return { logger, records };
}
