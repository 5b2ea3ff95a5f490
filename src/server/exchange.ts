import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

/** Headers the reference server puts on every response (PROTOCOL.md §1.1). */
export const CORS_HEADERS: Readonly<OutgoingHttpHeaders> = Object.freeze({
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
  "Access-Control-Allow-Headers": "*",
  "Access-Control-Expose-Headers": "ETag, Retry-After",
});

/**
 * One request and its response. Every response goes through here, so each one carries the
 * CORS headers and its status reaches the request log.
 */
export class Exchange {
  readonly path: string;
  readonly query: URLSearchParams;

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    url: URL,
    private readonly recordStatus: (status: number) => void = () => {},
  ) {
    this.path = url.pathname;
    this.query = url.searchParams;
  }

  /** The first value of a request header, as Go's `Header.Get` returns it. */
  header(name: string): string | undefined {
    return this.request.headersDistinct[name]?.[0];
  }

  /** Writes the status line and headers (CORS included); the body is up to the caller. */
  writeHead(status: number, headers: OutgoingHttpHeaders = {}): ServerResponse {
    this.response.writeHead(status, { ...CORS_HEADERS, ...headers });
    this.recordStatus(status);
    return this.response;
  }

  /** Sends a JSON body that is already encoded. */
  sendJson(status: number, json: string, headers: OutgoingHttpHeaders = {}): void {
    this.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(json), ...headers }).end(json);
  }

  /** Sends a body with an explicit content type. */
  sendBody(status: number, contentType: string, body: string, headers: OutgoingHttpHeaders = {}): void {
    this.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), ...headers }).end(body);
  }

  /** Sends an error as Go's `http.Error` does: plain text plus a newline, with `nosniff`. */
  sendGoError(status: number, text: string): void {
    this.sendBody(status, "text/plain; charset=utf-8", `${text}\n`, { "X-Content-Type-Options": "nosniff" });
  }

  /** Sends a status with no body. */
  sendEmpty(status: number, headers: OutgoingHttpHeaders = {}): void {
    this.writeHead(status, headers).end();
  }

  /** Whether a response can still be started (no head sent, connection alive). */
  get canRespond(): boolean {
    return !this.response.headersSent && !this.response.destroyed;
  }
}
