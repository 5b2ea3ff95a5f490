import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { hasValidApiKey, secretMatches } from "./api-key-check";
import { CORS_HEADERS, Exchange } from "./exchange";
import { logRequestWhenDone } from "./request-log-line";
import { handleAdmin } from "./handlers/admin-handler";
import { handleEvents } from "./handlers/events-handler";
import { handleV1Flags, handleV2Flags } from "./handlers/flags-handler";
import { handleIdentify } from "./handlers/identify-handler";
import { handleStream } from "./handlers/stream-handler";
import { handleTelemetry } from "./handlers/telemetry-handler";
import { isPagePath, servePage } from "./page/serve-page";
import type { ServerContext } from "./server-context";

type Handler = (exchange: Exchange, context: ServerContext) => void | Promise<void>;

/** Routes of the SDK API. `postOnly` ones answer 405 to other methods (PROTOCOL.md §1.1). */
const ROUTES: ReadonlyMap<string, { readonly handler: Handler; readonly postOnly: boolean }> = new Map([
  ["/api/v1/sdk/flags", { handler: handleV1Flags, postOnly: false }],
  ["/api/v1/sdk/v2/flags", { handler: handleV2Flags, postOnly: false }],
  ["/api/v1/sdk/stream", { handler: handleStream, postOnly: false }],
  ["/api/v1/sdk/identify", { handler: handleIdentify, postOnly: true }],
  ["/api/v1/sdk/events", { handler: handleEvents, postOnly: true }],
  ["/api/v1/sdk/telemetry", { handler: handleTelemetry, postOnly: true }],
  ["/health", { handler: (exchange) => exchange.sendJson(200, '{"status":"ok"}'), postOnly: false }],
]);

/** Whether a request presents the API key the way any SDK route accepts it: the header, or the stream's `token`. */
function carriesApiKey(request: IncomingMessage, url: URL, apiKey: string): boolean {
  const token = url.searchParams.get("token");
  return hasValidApiKey(request.headersDistinct["authorization"]?.[0], apiKey) || (token !== null && secretMatches(token, apiKey));
}

function isAdminPath(path: string): boolean {
  return path === "/admin" || path.startsWith("/admin/");
}

async function route(exchange: Exchange, context: ServerContext): Promise<void> {
  const method = exchange.request.method ?? "GET";
  // Preflight for any path, before routing or authentication (§1.1).
  if (method === "OPTIONS") {
    exchange.sendEmpty(200);
    return;
  }
  if (context.admin && isAdminPath(exchange.path)) {
    await handleAdmin(exchange, context);
    return;
  }
  if (context.admin && isPagePath(exchange.path)) {
    servePage(exchange);
    return;
  }
  const route = ROUTES.get(exchange.path);
  if (!route || (exchange.path === "/api/v1/sdk/v2/flags" && !context.v2)) {
    exchange.sendGoError(404, "404 page not found");
    return;
  }
  if (route.postOnly && method !== "POST") {
    exchange.sendGoError(405, "Method not allowed");
    return;
  }
  await route.handler(exchange, context);
}

/**
 * The server's request listener. Every request that carries the API key is recorded (admin
 * calls excepted; others are only counted) and every
 * handler is contained: an unexpected error answers 500 if nothing was sent yet, or cuts the
 * connection, and is logged — it can never crash the process.
 */
export function createRequestListener(context: ServerContext): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://localhost");
    } catch {
      if (context.logRequests) logRequestWhenDone(request, response, "<invalid URL>", context.logger);
      response.writeHead(400, { ...CORS_HEADERS, "Content-Type": "text/plain; charset=utf-8" }).end("400 Bad Request\n");
      return;
    }
    if (context.logRequests) logRequestWhenDone(request, response, url.pathname, context.logger);
    let recordStatus: ((status: number) => void) | undefined;
    if (isAdminPath(url.pathname) || (context.admin && isPagePath(url.pathname))) {
      // The admin API and its page are not SDK traffic: neither recorded nor counted.
    } else if (carriesApiKey(request, url, context.apiKey)) {
      recordStatus = context.received.recordRequest(request.method ?? "GET", url.pathname, url.searchParams, request.headers);
    } else {
      // Recording what anyone sends would let any client grow the server's memory.
      context.received.countUnauthenticated();
    }
    const exchange = new Exchange(request, response, url, recordStatus);
    // A client that resets its connection must not surface as an unhandled 'error' event.
    request.on("error", () => {});
    response.on("error", () => {});
    const fail = (error: unknown) => {
      context.logger.error("The local Rollgate server failed to handle a request.", {
        method: request.method,
        path: url.pathname,
        error: error instanceof Error ? error.message : String(error),
      });
      try {
        if (exchange.canRespond) exchange.sendGoError(500, "Internal Server Error");
        else response.destroy();
      } catch {
        response.destroy();
      }
    };
    // route() is async, so even a synchronous throw inside a handler arrives here as a rejection.
    route(exchange, context).catch(fail);
  };
}
