import type { Dispatcher } from "undici";
import { ClientClosedError } from "../errors";
import { loadUndiciHttp, probeUndiciLoads, type UndiciHttp } from "./undici-http";
import { nodeHttpRequest, undiciIsObserved } from "./node-http-request";

export interface RollgateHttpOptions {
  readonly baseUrl: string;
  /** A caller-owned dispatcher; when absent a keep-alive Agent is created (and closed) at the first request over undici. */
  readonly dispatcher: Dispatcher | undefined;
  /** Connections of the Agent created here. */
  readonly connections: number;
}

interface LoadedHttp {
  readonly undici: UndiciHttp;
  readonly dispatcher: Dispatcher;
}

/**
 * The HTTP under the Rollgate API: requests relative to the base URL, over undici's keep-alive
 * pool (loaded at the first request that needs it, shared with the SSE stream), except the first
 * flags GET and a closing client's last deliveries, which go over node:http while undici was
 * never loaded (cold start, issue 22 item 10).
 */
export class RollgateHttp {
  /** undici and the connection pool, from the first request over undici on. */
  private http: Promise<LoadedHttp> | undefined;
  /** The same, once loaded: requests then go out synchronously, as they would with a static import. */
  private loaded: LoadedHttp | undefined;
  /** The first GET was sent over node:http (see request). */
  private firstSent = false;
  /** The client is closing (see beginClose). */
  private closing = false;
  private closed = false;
  private readonly ownsDispatcher: boolean;
  private readonly origin: string;
  private readonly basePath: string;

  constructor(private readonly options: RollgateHttpOptions) {
    this.ownsDispatcher = options.dispatcher === undefined;
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, "");
  }

  /** The connection pool, shared with the SSE stream: the caller's dispatcher, or an Agent created once undici is loaded. */
  dispatcher(): Promise<Dispatcher> {
    return this.loadHttp().then(({ dispatcher }) => dispatcher);
  }

  /** One request; `path` is relative to the base URL's path (a base URL may carry a prefix). */
  request(options: Omit<Dispatcher.RequestOptions, "origin">): Promise<Dispatcher.ResponseData> {
    const send = ({ undici, dispatcher }: LoadedHttp) => undici.request(dispatcher, { ...options, origin: this.origin, path: `${this.basePath}${options.path}` });
    // The first flags request goes over node:http, whose parser is native: loading undici and
    // compiling its WebAssembly parser is most of a cold start's init (issue 22 item 10), and a
    // process that exits after its first read never pays it; so do the last deliveries of a
    // client closing before undici was ever loaded. undici (keep-alive pool) for everything else;
    // a dispatcher of the caller's is always used. A bundle that could not load undici fails
    // here, at init, as it would without this shortcut (issue 22 item 2). When undici's requests
    // are watched (OpenTelemetry's undici instrumentation), every request goes over undici, so
    // that each is seen.
    const shortcut = options.method === "GET" ? !this.firstSent : this.closing && options.method === "POST";
    if (shortcut && this.loaded === undefined && this.http === undefined && this.ownsDispatcher && !this.closed && !undiciIsObserved()) {
      if (options.method === "GET") this.firstSent = true;
      return probeUndiciLoads().then(() => nodeHttpRequest(this.origin, `${this.basePath}${options.path}`, options));
    }
    return this.loaded === undefined ? this.loadHttp().then(send) : send(this.loaded);
  }

  /**
   * The client is closing: what it still sends (its last events and telemetry) goes over
   * node:http if undici was never loaded, so that a process which read its flags and exits does
   * not load undici, and then wait for V8 to compile its parser, only to send them.
   */
  beginClose(): void {
    this.closing = true;
  }

  async close(): Promise<void> {
    // destroy(), not close(): everything in flight was already cancelled, and a graceful close would
    // wait for a stream request that is still waiting for its response headers. Nothing ever sent
    // over undici: no pool to destroy (and undici is not loaded to find that out).
    this.closed = true;
    if (!this.ownsDispatcher || this.http === undefined) return;
    const loaded = await this.http.catch(() => undefined);
    await loaded?.dispatcher.destroy();
  }

  private loadHttp(): Promise<LoadedHttp> {
    // After close(), a late request must not create a pool that nothing would destroy.
    if (this.closed && this.http === undefined) return Promise.reject(new ClientClosedError("A request to Rollgate"));
    this.http ??= loadUndiciHttp().then((undici) => {
      const dispatcher = this.options.dispatcher ?? undici.createAgent({ keepAliveTimeout: 60_000, connections: this.options.connections });
      this.loaded = { undici, dispatcher };
      return this.loaded;
    });
    return this.http;
  }
}
