import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the scripted server does with one request: answer with a status (and headers), or never answer. */
export type ScriptedReply = { readonly status: number; readonly headers?: Readonly<Record<string, string>>; /** Real milliseconds before answering. */ readonly delayMs?: number } | "hang";

/**
 * A bare HTTP server on 127.0.0.1 (port 0) that answers requests in turn from a script (then
 * with `fallback`), and records each request's path and body: for statuses the local Rollgate
 * server never sends on events or telemetry (400, 413, 429, a hung request).
 *
 * @example
 * const server = await startScriptedServer([{ status: 400 }], { status: 200 });
 */
export async function startScriptedServer(script: readonly ScriptedReply[], fallback: ScriptedReply = { status: 200 }) {
  const replies = [...script];
  const received: { path: string; body: string }[] = [];
  const hung: ServerResponse[] = [];
  const http: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", body });
      const reply = replies.shift() ?? fallback;
      if (reply === "hang") {
        hung.push(response);
        return;
      }
      const answer = () => response.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers }).end(reply.status < 300 ? '{"received":1}' : "scripted failure");
      if (reply.delayMs === undefined) answer();
      else setTimeout(answer, reply.delayMs);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    received,
    /** The JSON bodies received, parsed. */
    bodies(): unknown[] {
      return received.map((r) => JSON.parse(r.body) as unknown);
    },
    close(): Promise<void> {
      for (const response of hung) response.destroy();
      http.closeAllConnections();
      return new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
