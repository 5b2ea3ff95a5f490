import { withRegexBudgetListener } from "../../evaluation/regex-match-budget";
import { formatSseEvent } from "../event-stream-hub";
import type { Exchange } from "../exchange";
import { secretMatches } from "../api-key-check";
import { renderV1Flags } from "../render-flag-bodies";
import { resolveRequestUser } from "../request-user";
import type { ServerContext } from "../server-context";
import { retryAfterHeader } from "../server-faults";
import { simulatedErrorBody } from "../simulated-error";
import { sendUnauthorized } from "./require-api-key";

/** The `Retry-After` of a stream connect refused because `maxStreams` are open. */
export const STREAM_RETRY_AFTER_SECONDS = 5;

/**
 * `/api/v1/sdk/stream` (PROTOCOL.md §2): authenticated only by the `token` query parameter,
 * evaluated for `user_id` plus its identify session; sends `init` with the v1 `flags` object
 * first, then `flag-changed` events and heartbeat comments from the hub. Beyond `maxStreams`
 * open streams, a connect gets 503 with `Retry-After`.
 */
export function handleStream(exchange: Exchange, context: ServerContext): void {
  const refusal = context.faults.takeStreamRefusal();
  if (refusal) {
    const retryAfter = retryAfterHeader(refusal);
    exchange.sendJson(refusal.status, simulatedErrorBody(refusal.status, refusal.message), retryAfter ? { "Retry-After": retryAfter } : {});
    return;
  }
  // The browser EventSource cannot set headers, so the reference server reads only `token`.
  if (!secretMatches(exchange.query.get("token") ?? "", context.apiKey)) {
    sendUnauthorized(exchange);
    return;
  }
  if (context.streams.count >= context.maxStreams) {
    // Each stream holds a socket and its buffers for as long as the client likes: past the
    // cap, refuse as an overloaded server would, so clients back off and retry.
    const message = `This server already holds ${context.maxStreams} streams (maxStreams); retry later.`;
    exchange.sendJson(503, simulatedErrorBody(503, message), { "Retry-After": String(STREAM_RETRY_AFTER_SECONDS) });
    return;
  }
  const user = resolveRequestUser(exchange.request, exchange.query, context.sessions, false);
  const stalled = context.faults.streamsStalled;
  const flagsJson = stalled ? "" : withRegexBudgetListener(context.regexBudgetExceeded, () => renderV1Flags(context.store, user, false).flagsJson);
  const init = stalled ? "" : formatSseEvent("init", `{"flags":${flagsJson}}`);
  const response = exchange.writeHead(200, {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    Connection: "keep-alive",
  });
  if (exchange.request.method === "HEAD") {
    // A HEAD response has no body, so it must not stay open as a stream.
    response.end();
    return;
  }
  response.flushHeaders();
  // No Nagle delay: each event should leave as soon as it is written.
  response.socket?.setNoDelay(true);
  const sdkName = exchange.header("x-sdk-name");
  const sdk = sdkName ? `${sdkName} ${exchange.header("x-sdk-version") ?? ""}`.trim() : exchange.header("user-agent");
  context.streams.open(response, init, stalled, { userId: user.id, ...(sdk ? { sdk: sdk.slice(0, 100) } : {}) });
}
