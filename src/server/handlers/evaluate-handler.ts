import { withRegexBudgetListener } from "../../evaluation/regex-match-budget";
import type { Exchange } from "../exchange";
import { renderV2Flags } from "../render-flag-bodies";
import { decodeUserObject } from "../request-user";
import type { ServerContext } from "../server-context";
import { readRequestBody } from "./read-request-body";

/**
 * `POST /admin/evaluate` with a user `{id, email?, attributes?}`: every flag for that user,
 * exactly as the v2 flags endpoint serves it to a client that sends this user in
 * `X-User-Context` (`{"flags":{key:{key,type,value,enabled,reason}}}`). The page's "Try a user".
 * A body that is not such a user answers 400.
 */
export async function handleEvaluate(exchange: Exchange, context: ServerContext): Promise<void> {
  const text = await readRequestBody(exchange, context.maxBodyBytes);
  if (text === undefined) return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    exchange.sendJson(400, JSON.stringify({ error: "InvalidJSON", message: `The body is not valid JSON: ${(error as Error).message}` }));
    return;
  }
  const user = decodeUserObject(body);
  if (!user) {
    const message = 'Expected a user: {"id": string, "email"?: string, "attributes"?: object}.';
    exchange.sendJson(400, JSON.stringify({ error: "InvalidUser", message }));
    return;
  }
  const flags = withRegexBudgetListener(context.regexBudgetExceeded, () => renderV2Flags(context.store, user));
  exchange.sendJson(200, flags, { "Cache-Control": "no-store" });
}
