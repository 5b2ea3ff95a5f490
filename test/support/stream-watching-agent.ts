import { Agent, type Dispatcher } from "undici";
import { eventually, settle } from "./virtual-clock";

/** The callbacks by which undici hands a response's body to its handler (legacy and current API). */
const DATA_CALLBACKS = new Set<PropertyKey>(["onData", "onResponseData"]);

/**
 * An undici Agent (for the client's `dispatcher` option) that counts the chunks the client
 * receives on the flag stream, so that a test knows a change signal has reached the client, not
 * only left the server, before it goes on.
 *
 * @example
 * const agent = new StreamWatchingAgent();
 * const seen = agent.chunks;
 * server.setFlag(...);
 * await agent.received(seen); // the client has read the signal and acted on it
 */
export class StreamWatchingAgent extends Agent {
  /** Body chunks received on stream requests so far. */
  chunks = 0;

  override dispatch(options: Agent.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (!options.path.startsWith("/api/v1/sdk/stream")) return super.dispatch(options, handler);
    const counted = () => this.chunks++;
    // A Proxy keeps the handler's shape (undici tells the two handler APIs apart by their methods).
    const watched = new Proxy(handler, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function" || !DATA_CALLBACKS.has(property)) return value;
        return (...args: unknown[]) => {
          try {
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          } finally {
            counted();
          }
        };
      },
    });
    return super.dispatch(options, watched);
  }

  /**
   * Resolves once a stream chunk beyond the first `seen` has arrived and the client's promise
   * callbacks that follow from it have run (parsing the event, starting the refetch).
   */
  async received(seen: number, what = "the change signal on the stream"): Promise<void> {
    await eventually(() => this.chunks > seen, 5_000, what);
    for (let i = 0; i < 10; i++) await settle();
  }
}
