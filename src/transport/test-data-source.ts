import type { FlagsTransport } from "./flags-transport";

/**
 * What the `testData` option takes: flags served in-process instead of over HTTP. `TestData`
 * from `rollgate/testing` implements it; you do not need to.
 *
 * A structural interface (no class), so that a `TestData` from one build of rollgate plugs into
 * a client from another (ESM and CommonJS, or two entry points).
 *
 * @example
 * import { TestData } from "rollgate/testing";
 * const client = new RollgateClient({ apiKey: "test", testData: new TestData() });
 */
export interface TestDataSource {
  /**
   * Connects one client: returns the transport its fetches go through. `changed` is called after
   * each change to the flags (as an SSE signal would be) and resolves once the client applied it.
   * Closing the transport disconnects the client.
   */
  connect(changed: () => Promise<unknown>): FlagsTransport;
}
