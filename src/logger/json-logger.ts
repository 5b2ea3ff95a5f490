import { asyncScheduler } from "rxjs";
import type { Logger } from "./logger";

type LogLevel = keyof Logger;

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Fields every line has; a context key with the same name is written as `context.<key>`. */
const RESERVED = new Set(["time", "level", "name", "msg"]);

export interface JsonLoggerOptions {
  /**
   * The clock for the `time` field, in epoch milliseconds. The client passes its scheduler's.
   * @default asyncScheduler.now
   */
  readonly now?: () => number;
  /**
   * Where each line goes (without its newline added: the function receives the full line).
   * @default process.stderr.write
   */
  readonly write?: (line: string) => void;
  /**
   * The lowest level written.
   * @default "info"
   */
  readonly level?: LogLevel;
}

/** Error objects serialise to `{}` by default: keep what identifies them. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? { name: value.name, message: value.message } : { name: value.name, message: value.message, code };
  }
  return value;
}

function line(time: number, level: LogLevel, message: string, context: Record<string, unknown> | undefined): string {
  const entry: Record<string, unknown> = { time: new Date(time).toISOString(), level, name: "rollgate", msg: message };
  if (context === undefined) return JSON.stringify(entry);
  for (const key of Object.keys(context)) entry[RESERVED.has(key) ? `context.${key}` : key] = context[key];
  try {
    return JSON.stringify(entry, replacer);
  } catch {
    // A circular or otherwise unserialisable context must not lose the message itself.
    return JSON.stringify({ time: entry["time"], level, name: "rollgate", msg: message, contextError: "the context could not be serialised" });
  }
}

/**
 * A logger that writes one JSON object per line (`time`, `level`, `name: "rollgate"`, `msg`,
 * then the context's fields), for log collectors. The client uses it for `logFormat: "json"`.
 *
 * @example
 * createJsonLogger().warn("Rollgate unreachable", { code: "NETWORK_ERROR" });
 * // {"time":"2026-01-01T00:00:00.000Z","level":"warn","name":"rollgate","msg":"Rollgate unreachable","code":"NETWORK_ERROR"}
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const now = options.now ?? (() => asyncScheduler.now());
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const lowest = RANK[options.level ?? "info"];
  const at =
    (level: LogLevel) =>
    (message: string, context?: Record<string, unknown>): void => {
      if (RANK[level] < lowest) return;
      write(`${line(now(), level, message, context)}\n`);
    };
  return Object.freeze({ debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") });
}
