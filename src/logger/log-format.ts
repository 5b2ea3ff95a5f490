import * as z from "zod/mini";
import { RollgateConfigError } from "../errors";
import { adaptLogger, type LoggerLike } from "./adapt-logger";
import { createJsonLogger } from "./json-logger";
import { defaultLogger, type Logger } from "./logger";

/**
 * The format of rollgate's default logger: `pretty` (one human line per entry, warnings and
 * errors only) or `json` (one JSON object per line, info and above, for log collectors).
 */
export type LogFormat = "pretty" | "json";

/** The `logFormat` option's schema. */
export const logFormatSchema = z.enum(["pretty", "json"], { error: 'expected "pretty" or "json"' });

/**
 * The logger the client uses: the caller's (adapted to its calling convention and contained),
 * or the default one in the chosen format.
 *
 * @throws RollgateConfigError when both `logger` and `logFormat` are given: the format applies
 *   only to rollgate's own logger, so the combination is a mistake.
 * @example
 * resolveLogger(undefined, "json", () => scheduler.now());
 */
export function resolveLogger(logger: LoggerLike | undefined, logFormat: LogFormat | undefined, now: () => number): Logger {
  if (logger !== undefined) {
    if (logFormat !== undefined) {
      throw new RollgateConfigError(
        "logFormat",
        "Invalid option logFormat: it chooses the format of rollgate's default logger and does nothing with your own logger; remove logFormat or logger.",
      );
    }
    return adaptLogger(logger);
  }
  return logFormat === "json" ? createJsonLogger({ now }) : defaultLogger;
}
