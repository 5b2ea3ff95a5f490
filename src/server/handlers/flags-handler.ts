import { setTimeout as sleep } from "node:timers/promises";
import { withRegexBudgetListener } from "../../evaluation/regex-match-budget";
import type { Exchange } from "../exchange";
import { computeFlagsETag } from "../flags-etag";
import { malformedFlagBody } from "../malformed-flag-body";
import { renderV1Flags, renderV2Flags } from "../render-flag-bodies";
import { resolveRequestUser } from "../request-user";
import type { ServerContext } from "../server-context";
import { retryAfterHeader } from "../server-faults";
import { simulatedErrorBody } from "../simulated-error";
import { requireApiKey } from "./require-api-key";

/**
 * Applies the flag-endpoint faults that come before authentication: the delay, then a
 * simulated error (PROTOCOL.md §1.8). Returns false when the request was answered (or the
 * server shut down during the delay).
 */
async function passFlagFaults(exchange: Exchange, context: ServerContext): Promise<boolean> {
  const delayMs = context.faults.takeFlagDelay();
  if (delayMs > 0) {
    try {
      await sleep(delayMs, undefined, { signal: context.shutdown });
    } catch {
      return false;
    }
    if (!exchange.canRespond) return false;
  }
  const failure = context.faults.takeFlagFailure();
  if (failure) {
    const retryAfter = retryAfterHeader(failure);
    exchange.sendJson(failure.status, simulatedErrorBody(failure.status, failure.message), retryAfter ? { "Retry-After": retryAfter } : {});
    return false;
  }
  return true;
}

/** Answers with a `malformed` fault body, if one is pending. */
function sendMalformation(exchange: Exchange, context: ServerContext, version: "v1" | "v2"): boolean {
  const kind = context.faults.takeMalformation();
  if (!kind) return false;
  const malformed = malformedFlagBody(
    kind,
    version,
    context.store.all.map((flag) => flag.key),
  );
  exchange.sendBody(200, malformed.contentType, malformed.body);
  return true;
}

/**
 * `/api/v1/sdk/flags` (§1.2): booleans for every flag, reasons only for `withReasons=true`,
 * an ETag over the `flags` JSON and a bare 304 when `If-None-Match` is byte-equal to it. Like
 * the reference server it accepts any method.
 */
export async function handleV1Flags(exchange: Exchange, context: ServerContext): Promise<void> {
  if (!(await passFlagFaults(exchange, context))) return;
  if (!requireApiKey(exchange, context.apiKey)) return;
  if (sendMalformation(exchange, context, "v1")) return;
  const user = resolveRequestUser(exchange.request, exchange.query, context.sessions);
  const withReasons = exchange.query.get("withReasons") === "true";
  const { body, flagsJson } = withRegexBudgetListener(context.regexBudgetExceeded, () => renderV1Flags(context.store, user, withReasons));
  const etag = computeFlagsETag(flagsJson);
  if (exchange.header("if-none-match") === etag) {
    exchange.sendEmpty(304);
    return;
  }
  exchange.sendJson(200, body, { ETag: etag });
}

/**
 * `/api/v1/sdk/v2/flags` (§1.3): typed values with inline reasons. The reference server has
 * no ETag here; `v2ETag` emulates a production API that adds one (§6.5).
 */
export async function handleV2Flags(exchange: Exchange, context: ServerContext): Promise<void> {
  if (!(await passFlagFaults(exchange, context))) return;
  if (!requireApiKey(exchange, context.apiKey)) return;
  if (sendMalformation(exchange, context, "v2")) return;
  const user = resolveRequestUser(exchange.request, exchange.query, context.sessions);
  const body = withRegexBudgetListener(context.regexBudgetExceeded, () => renderV2Flags(context.store, user));
  if (!context.v2ETag) {
    exchange.sendJson(200, body);
    return;
  }
  const etag = computeFlagsETag(body);
  if (exchange.header("if-none-match") === etag) {
    exchange.sendEmpty(304);
    return;
  }
  exchange.sendJson(200, body, { ETag: etag });
}
