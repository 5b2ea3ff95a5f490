import { Agent, type Dispatcher } from "undici";

/** One flags request as it left the client. */
export interface CountedRequest {
  /** `performance.now()` when it was dispatched. */
  readonly at: number;
  readonly userId: string | undefined;
}

/**
 * An undici Agent (the client's `dispatcher`) that records every flags request it sends and the
 * status of every answer: what "upstream requests" and "failures before the circuit opened" are
 * counted from. The handler is observed through a Proxy, as test/support/virtual-network.ts does.
 */
export class CountingAgent extends Agent {
  readonly requests: CountedRequest[] = [];
  /** Statuses of flags answers, with the time they arrived. */
  readonly answers: { readonly at: number; readonly status: number }[] = [];

  constructor(connections: number) {
    super({ keepAliveTimeout: 60_000, connections });
  }

  override dispatch(options: Agent.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const flags = options.path.includes("/flags");
    if (!flags) return super.dispatch(options, handler);
    const query = (options.query ?? {}) as Record<string, unknown>;
    this.requests.push({ at: performance.now(), userId: typeof query["user_id"] === "string" ? query["user_id"] : undefined });
    const answers = this.answers;
    const observed = new Proxy(handler, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        if (property === "onHeaders") {
          return (...args: unknown[]) => {
            answers.push({ at: performance.now(), status: args[0] as number });
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        if (property === "onResponseStart") {
          return (...args: unknown[]) => {
            answers.push({ at: performance.now(), status: args[1] as number });
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return value;
      },
    });
    return super.dispatch(options, observed);
  }
}
