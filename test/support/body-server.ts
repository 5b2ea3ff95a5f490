import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the server answers to every request. */
export interface CannedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * A bare HTTP server on 127.0.0.1 (port 0) that answers every request with the response the
 * test last set, whatever the path or key: for feeding a client bodies the local Rollgate server
 * would never send.
 *
 * @example
 * const server = await startBodyServer();
 * server.respond({ status: 200, contentType: "application/json", body: '{"flags":{}}' });
 * const client = new RollgateClient({ apiKey: "k", baseUrl: server.url, cache: false });
 * await server.close();
 */
export interface BodyServer {
  readonly url: string;
  /** Requests answered so far. */
  readonly requests: number;
  respond(response: CannedResponse): void;
  close(): Promise<void>;
}

export async function startBodyServer(initial: CannedResponse = { status: 200, contentType: "application/json", body: '{"flags":{}}' }): Promise<BodyServer> {
  let response = initial;
  let requests = 0;
  const server: Server = createServer((request, reply) => {
    requests += 1;
    request.resume();
    reply.writeHead(response.status, { "content-type": response.contentType, "content-length": Buffer.byteLength(response.body) });
    reply.end(response.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    respond(next) {
      response = next;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
