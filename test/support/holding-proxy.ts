import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as it reached the proxy: its path (with the query) and its `user_id`, if any. */
export interface ProxiedRequest {
  readonly path: string;
  readonly userId: string | undefined;
  /** Whether its response has been sent back to the client. */
  answered: boolean;
}

/** A response the proxy holds: the server has answered it (evaluated the flags), the client has not got it yet. */
export interface HeldResponse {
  readonly request: ProxiedRequest;
  /** Sends the server's answer on to the client. */
  release(): void;
}

/** Headers that describe the connection or the framing, which the proxy sets itself. */
const HOP_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host"]);

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_HEADERS.has(name)) kept[name] = value;
  return kept;
}

/**
 * A loopback HTTP proxy (127.0.0.1, port 0) in front of the local server that can hold a
 * response *after* the server produced it: the flags it carries were evaluated before the test
 * goes on (the server's `delay` fault holds a request before evaluating it). Every request is
 * forwarded; each response is read whole, then sent on, unless a hold matches its request.
 * Not for the stream (give the client `streamUrl: server.url`): responses are buffered.
 *
 * @example
 * const proxy = await startHoldingProxy(server.url);
 * const held = proxy.holdNext((r) => r.userId === undefined);
 * const refreshing = client.refresh();
 * const response = await held; // the server has evaluated the flags
 * server.setFlag(...);
 * response.release();
 */
export async function startHoldingProxy(target: string) {
  const requests: ProxiedRequest[] = [];
  const holds: { readonly matches: (request: ProxiedRequest) => boolean; readonly hand: (held: HeldResponse) => void }[] = [];
  const unreleased: (() => void)[] = [];
  const http: Server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const path = incoming.url ?? "/";
    const request: ProxiedRequest = { path, userId: new URL(path, target).searchParams.get("user_id") ?? undefined, answered: false };
    requests.push(request);
    const upstream = httpRequest(`${target}${path}`, { method: incoming.method, headers: endToEnd(incoming.headers) }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => {
        const send = () => {
          request.answered = true;
          outgoing.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers)).end(Buffer.concat(chunks));
        };
        const hold = holds.findIndex((h) => h.matches(request));
        if (hold < 0) return send();
        const [{ hand }] = holds.splice(hold, 1) as [(typeof holds)[number]];
        unreleased.push(send);
        hand({
          request,
          release: () => {
            const at = unreleased.indexOf(send);
            if (at < 0) return;
            unreleased.splice(at, 1);
            send();
          },
        });
      });
    });
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    /** Every request received, in order. */
    requests,
    /** Holds the response to the next request that `matches`; resolves once the server has answered it. */
    holdNext(matches: (request: ProxiedRequest) => boolean): Promise<HeldResponse> {
      return new Promise((hand) => holds.push({ matches, hand }));
    },
    /** Sends every held response on, then stops. */
    close(): Promise<void> {
      for (const send of unreleased.splice(0)) send();
      http.closeAllConnections();
      return new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** What {@link startHoldingProxy} resolves to. */
export type HoldingProxy = Awaited<ReturnType<typeof startHoldingProxy>>;
