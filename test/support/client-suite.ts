import type { RollgateClient, RollgateOptions } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, startTestServer } from "./test-client";
import { VirtualNetwork } from "./virtual-network";

/** What {@link useClientSuite} hands a test file. */
export interface ClientSuite {
  /** This test's local server (127.0.0.1, port 0). */
  readonly server: RollgateServer;
  /** Closes `client` (and `net`) after the test; returns the client. */
  track(client: RollgateClient, net?: VirtualNetwork): RollgateClient;
  /** A client of this test's server (caching off, recording logger), closed after the test. */
  client(options?: Partial<RollgateOptions>): RollgateClient;
  /** The same, on virtual time: its scheduler and dispatcher come from a {@link VirtualNetwork}. */
  virtual(options?: Partial<RollgateOptions>): { client: RollgateClient; net: VirtualNetwork };
}

/**
 * The lifecycle most client test files share: a local server per test, and every client (and
 * virtual network) made through the suite closed after it, before the server. Call inside a
 * `describe` (or at the top level of a file).
 *
 * @example
 * const suite = useClientSuite();
 * it("...", async () => { const { client, net } = suite.virtual({ refreshInterval: 30 }); ... });
 */
export function useClientSuite(): ClientSuite {
  const cleanups: (() => Promise<void>)[] = [];
  let server: RollgateServer | undefined;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await server?.close();
  });
  const suite: ClientSuite = {
    get server() {
      if (server === undefined) throw new Error("useClientSuite: the server exists only inside a test.");
      return server;
    },
    track(client, net) {
      cleanups.push(async () => {
        await client.close();
        await net?.close();
      });
      return client;
    },
    client(options = {}) {
      return suite.track(clientFor(suite.server, options));
    },
    virtual(options = {}) {
      const net = new VirtualNetwork();
      return { client: suite.track(clientFor(suite.server, { scheduler: net.scheduler, dispatcher: net.dispatcher, ...options }), net), net };
    },
  };
  return suite;
}
