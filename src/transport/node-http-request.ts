import { channel } from "node:diagnostics_channel";
import type { Dispatcher } from "undici";

/** Where undici announces each request it creates (what OpenTelemetry's undici instrumentation listens to). */
const UNDICI_REQUESTS = channel("undici:request:create");

/**
 * Whether something watches undici's requests (an APM agent, OpenTelemetry's undici
 * instrumentation): then the first request goes over undici too, so that it is seen like every
 * other one. One property read.
 */
export function undiciIsObserved(): boolean {
  return UNDICI_REQUESTS.hasSubscribers;
}

/**
 * One request over `node:http` (or `node:https`), answered in undici's `request` shape (status,
 * lowercase headers, a body stream with `dump()`), on a connection of its own that closes after
 * the response: what the transport sends with while undici is not loaded (its very first flags
 * request, and the deliveries of a client closing before it ever needed undici). The query is
 * encoded as undici encodes it (`encodeURIComponent`); a string body is sent as is; `signal`
 * aborts it.
 *
 * @example
 * const response = await nodeHttpRequest("http://127.0.0.1:8080", "/api/v1/sdk/v2/flags", { method: "GET", path: "", headers, query, signal });
 */
export async function nodeHttpRequest(origin: string, path: string, options: Omit<Dispatcher.RequestOptions, "origin">): Promise<Dispatcher.ResponseData> {
  const http = origin.startsWith("https:") ? await import("node:https") : await import("node:http");
  const url = `${origin}${path}${queryString(options.query)}`;
  const headers = options.headers as Record<string, string> | undefined;
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method, headers, signal: options.signal as AbortSignal | undefined, agent: false }, (response) => {
      const dump = (): Promise<void> =>
        new Promise((done) => {
          if (response.readableEnded || response.destroyed) return done();
          response.once("end", () => done()).once("close", () => done());
          response.resume();
        });
      resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body: Object.assign(response, { dump }) } as unknown as Dispatcher.ResponseData);
    });
    request.once("error", reject);
    request.end(typeof options.body === "string" ? options.body : undefined);
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (query === undefined) return "";
  const pairs = Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return pairs.length === 0 ? "" : `?${pairs.join("&")}`;
}
