import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { Logger } from "../logger/logger";

/** How much of a path a request log line shows. */
const MAX_LOGGED_PATH = 200;

/**
 * Logs one line per request once its response ends (or its connection closes first):
 * `GET /api/v1/sdk/flags 200 1.4 ms`, at info, with the same fields as context. The path is
 * logged without its query (the stream's `token` travels there) and no header is logged (the
 * key travels in `Authorization`). A stream's line comes when it ends, with its whole duration.
 */
export function logRequestWhenDone(request: IncomingMessage, response: ServerResponse, path: string, logger: Logger): void {
  // A real clock: the server has no scheduler, and this measures wall time for a human reader.
  const started = performance.now();
  const method = request.method ?? "GET";
  const shownPath = path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path;
  response.once("close", () => {
    const ms = Math.round((performance.now() - started) * 10) / 10;
    // "-" when the client left before any answer was sent.
    const status = response.headersSent ? response.statusCode : "-";
    logger.info(`${method} ${shownPath} ${status} ${ms} ms`, { method, path: shownPath, status, ms });
  });
}
