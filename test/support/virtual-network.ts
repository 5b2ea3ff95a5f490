import type { SchedulerLike } from "rxjs";
import { Agent, type Dispatcher } from "undici";
import { VirtualClock } from "./virtual-clock";

/** A clock tests can move: {@link VirtualClock}, or `LeanVirtualClock` for soaks. */
export interface AdvanceableClock {
  readonly scheduler: SchedulerLike;
  readonly now: number;
  advanceBy(ms: number): void;
}

/** One request as it left the client. */
export interface SentRequest {
  readonly method: string;
  /** Path and query string, e.g. `/api/v1/sdk/v2/flags?user_id=u1`. */
  readonly path: string;
  /** Virtual time (ms) at which the client dispatched it. */
  readonly at: number;
  /** The query parameters given apart from the path (undici's `query` option), e.g. `user_id`. */
  readonly query: Readonly<Record<string, unknown>>;
}

/** The ways a request handler reports that it is done (undici's legacy and current handler APIs). */
const TERMINAL_CALLBACKS = new Set<PropertyKey>(["onComplete", "onError", "onResponseEnd", "onResponseError"]);

/** An undici Agent that reports each dispatch and each request's end. */
class ObservedAgent extends Agent {
  constructor(
    private readonly onDispatch: (options: Dispatcher.DispatchOptions) => void,
    private readonly onDone: () => void,
  ) {
    super({ keepAliveTimeout: 10_000 });
  }

  override dispatch(options: Agent.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    // Counted before dispatching: a refused connection may end the request synchronously.
    this.onDispatch(options);
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        this.onDone();
      }
    };
    // A Proxy keeps the handler's shape (legacy or current API, which undici detects by its
    // methods) and only notices the callback that ends the request.
    const observed = new Proxy(handler, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function" || !TERMINAL_CALLBACKS.has(property)) return value;
        return (...args: unknown[]) => {
          try {
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          } finally {
            finish();
          }
        };
      },
    });
    return super.dispatch(options, observed);
  }
}

/**
 * Virtual time for a client that does real I/O: a {@link VirtualClock} for the client's
 * `scheduler`, plus an undici dispatcher for its `dispatcher` option that stamps every request
 * with the virtual time it left and counts the requests in flight. Tests advance virtual time
 * with {@link advance}, which lets real I/O settle after each step, so that timers depending on
 * a response (a backoff, a `Retry-After`, the breaker's reset) are scheduled before time moves on.
 *
 * The dispatcher is the test's to close ({@link close}): the client never closes a dispatcher it
 * was given.
 *
 * @example
 * const net = new VirtualNetwork();
 * const client = clientFor(server, { scheduler: net.scheduler, dispatcher: net.dispatcher });
 * await client.init();
 * await net.advance(30_000, 500);
 * expect(net.sent.map((r) => r.at)).toEqual([0, 30_000]);
 * await client.close();
 * await net.close();
 */
export class VirtualNetwork<Clock extends AdvanceableClock = VirtualClock> {
  /** Every request the client sent through {@link dispatcher}, in order. */
  readonly sent: SentRequest[] = [];
  readonly dispatcher: Dispatcher;
  private pending = 0;

  /** @param clock The clock to drive; a fresh {@link VirtualClock} by default. */
  constructor(readonly clock: Clock = new VirtualClock() as unknown as Clock) {
    this.dispatcher = new ObservedAgent(
      (options) => {
        this.pending += 1;
        this.sent.push({ method: options.method, path: options.path, at: this.clock.now, query: options.query ?? {} });
      },
      () => (this.pending -= 1),
    );
  }

  get scheduler(): Clock["scheduler"] {
    return this.clock.scheduler;
  }

  /** Virtual milliseconds since the start. */
  get now(): number {
    return this.clock.now;
  }

  /** Requests dispatched whose response has not ended yet. */
  get inFlight(): number {
    return this.pending;
  }

  /** Flag requests (v1 or v2) the client sent. */
  get flagRequests(): SentRequest[] {
    return this.sent.filter((r) => r.path.startsWith("/api/v1/sdk/v2/flags") || r.path.startsWith("/api/v1/sdk/flags"));
  }

  /**
   * Waits (real time) until no request is in flight, then lets the client's promise callbacks
   * run. Gives up after `maxRealMs` when a request stays pending on purpose (a slow server whose
   * attempt only ends when virtual time reaches the timeout).
   */
  async quiesce(maxRealMs = 1_000): Promise<void> {
    const deadline = performance.now() + maxRealMs;
    while (this.pending > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
    for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Advances virtual time by `ms` in steps of `stepMs`, letting I/O settle after each step.
   * `maxRealMsPerStep` bounds the wait for a request that is meant to hang.
   */
  async advance(ms: number, stepMs = ms, maxRealMsPerStep = 1_000): Promise<void> {
    await this.quiesce(maxRealMsPerStep);
    const target = this.clock.now + ms;
    while (this.clock.now < target) {
      this.clock.advanceBy(Math.min(stepMs, target - this.clock.now));
      await this.quiesce(maxRealMsPerStep);
    }
  }

  /**
   * Advances virtual time in steps of `stepMs` until `predicate` holds; fails after `maxMs` of
   * virtual time. Returns the virtual time at which it held.
   */
  async advanceUntil(predicate: () => boolean, options: { stepMs: number; maxMs: number; maxRealMsPerStep?: number; what?: string }): Promise<number> {
    const { stepMs, maxMs, maxRealMsPerStep = 1_000, what = "condition" } = options;
    const deadline = this.clock.now + maxMs;
    await this.quiesce(maxRealMsPerStep);
    while (!predicate()) {
      if (this.clock.now >= deadline) throw new Error(`Virtual time reached ${this.clock.now} ms without ${what}`);
      this.clock.advanceBy(Math.min(stepMs, deadline - this.clock.now));
      await this.quiesce(maxRealMsPerStep);
    }
    return this.clock.now;
  }

  /** Closes the dispatcher's connections. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
