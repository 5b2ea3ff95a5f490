import type { ResolvedOptions } from "./resolve-options";
import type { FlagsTransport } from "../transport/flags-transport";
import { HttpFlagsTransport } from "../transport/http-flags-transport";

/** The client's transport, and the same object as HTTP when it is one (the stream shares its pool). */
export interface ClientTransport {
  readonly transport: FlagsTransport;
  readonly http: HttpFlagsTransport | undefined;
}

/**
 * The Rollgate HTTP API, or the `testData` option's in-process flags, which need no HTTP at all
 * (no dispatcher, nothing to close).
 *
 * @param changed What test data calls when its flags change: announced as a stream's change would be.
 */
export function flagsTransportFor(options: ResolvedOptions, changed: () => Promise<unknown>): ClientTransport {
  if (options.testData !== undefined) return { transport: options.testData.connect(changed), http: undefined };
  const { baseUrl, apiKey, maxPayloadBytes, logger, dispatcher, connections, scheduler } = options;
  const http = new HttpFlagsTransport({ baseUrl, apiKey, maxPayloadBytes, logger, dispatcher, connections, now: () => scheduler.now() });
  return { transport: http, http };
}
