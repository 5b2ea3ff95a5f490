import { once } from "node:events";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { asyncScheduler, filter, firstValueFrom, ReplaySubject, take, tap, toArray, type Observable, type Subscription } from "rxjs";
import { Agent } from "undici";
import { startServer, type RollgateServer } from "rollgate/server";
import { AuthenticationError, NetworkError, PayloadError, RateLimitError, RollgateError, ServerError, TimeoutError } from "../../src/errors";
import { openSseConnection } from "../../src/sources/sse-connection";
import type { SseSignal } from "../../src/sources/sse-signal";
import { reconnectingStream, type StreamOutput } from "../../src/sources/stream-reconnect";

const API_KEY = "rg_server_sse_connection_test_key";
const STREAM_PATH = "/api/v1/sdk/stream";

let server: RollgateServer;
let agent: Agent;
const subscriptions: Subscription[] = [];

async function start(heartbeatInterval = 0): Promise<void> {
  await server.close();
  server = await startServer({
    apiKey: API_KEY,
    flags: [{ key: "enabled-flag", enabled: true, rolloutPercentage: 100 }],
    heartbeatInterval,
  });
}

beforeEach(async () => {
  server = await startServer({ apiKey: API_KEY, flags: [{ key: "enabled-flag", enabled: true, rolloutPercentage: 100 }] });
  agent = new Agent();
});

afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  // Closing the pool waits for every request on it: a stream left open would hang here.
  await agent.close();
  await server.close();
});

function streamUrl(base = server.url, key = API_KEY): string {
  return `${base}${STREAM_PATH}?token=${encodeURIComponent(key)}&user_id=user-1`;
}

/** One connection, recorded: its signals (replayed) and the error that ended it. */
interface Recorded {
  readonly signals$: Observable<SseSignal>;
  readonly error: Promise<unknown>;
  readonly subscription: Subscription;
}

function connect(url = streamUrl(), connectTimeoutMs?: number): Recorded {
  const signals$ = new ReplaySubject<SseSignal>();
  let fail: (error: unknown) => void = () => undefined;
  const error = new Promise<unknown>((resolve) => (fail = resolve));
  const subscription = openSseConnection({
    url,
    headers: { Authorization: `Bearer ${API_KEY}` },
    dispatcher: agent,
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
  }).subscribe({ next: (signal) => signals$.next(signal), error: fail });
  subscriptions.push(subscription);
  return { signals$, error, subscription };
}

function next(recorded: Recorded, predicate: (signal: SseSignal) => boolean): Promise<SseSignal> {
  return firstValueFrom(recorded.signals$.pipe(filter(predicate)));
}

const isEvent =
  (name: string) =>
  (signal: SseSignal): boolean =>
    signal.type === "event" && signal.event === name;

const dataOf = (signal: SseSignal): unknown => (signal.type === "event" ? JSON.parse(signal.data) : undefined);

const streamRequests = (): number => server.received.requests.filter((request) => request.path === STREAM_PATH).length;

/**
 * Watches eventsource's own reconnect timer (a raw `setTimeout` of 3000 ms, its default
 * reconnection time) and reports whether every one armed was also cleared.
 */
function watchLibraryReconnectTimers(): { armed(): number; allCleared(): boolean; restore(): void } {
  const setSpy = jest.spyOn(globalThis, "setTimeout");
  const clearSpy = jest.spyOn(globalThis, "clearTimeout");
  const reconnectTimers = (): unknown[] =>
    setSpy.mock.calls.flatMap((call, i) => (call[1] === 3000 ? [setSpy.mock.results[i]?.value] : []));
  return {
    armed: () => reconnectTimers().length,
    allCleared: () => reconnectTimers().every((timer) => clearSpy.mock.calls.some(([handle]) => handle === timer)),
    restore: () => {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    },
  };
}

/** Lets queued microtasks (eventsource's dispatch, our deferred close) run. */
const settleMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("openSseConnection against the local server", () => {
  it("emits open, then the init event carrying the user's flags", async () => {
    const connection = connect();
    const [open, init] = await firstValueFrom(
      connection.signals$.pipe(
        filter((signal) => signal.type !== "activity"),
        take(2),
        toArray(),
      ),
    );
    expect(open).toEqual({ type: "open" });
    expect(init).toMatchObject({ type: "event", event: "init" });
    expect(dataOf(init!)).toEqual({ flags: { "enabled-flag": true } });
  });

  it("sends the Authorization header, Accept: text/event-stream and the user", async () => {
    await next(connect(), isEvent("init"));
    const request = server.received.requests.find((r) => r.path === STREAM_PATH);
    expect(request?.headers).toMatchObject({ authorization: true, accept: "text/event-stream" });
    expect(request?.query).toEqual({ token: "<redacted>", user_id: "user-1" });
  });

  it("emits flag-changed when a flag changes on the server", async () => {
    const connection = connect();
    await next(connection, isEvent("init"));
    server.setFlag({ key: "enabled-flag", enabled: false, rolloutPercentage: 100 });
    expect(dataOf(await next(connection, isEvent("flag-changed")))).toEqual({ key: "enabled-flag", enabled: false });
  });

  it("emits activity before the events of the same bytes", async () => {
    const connection = connect();
    await next(connection, isEvent("init"));
    const types = await firstValueFrom(connection.signals$.pipe(take(3), toArray()));
    expect(types.map((signal) => signal.type)).toEqual(["open", "activity", "event"]);
  });

  it("reports heartbeat comments, which eventsource hides, as activity", async () => {
    await start(0.02);
    const connection = connect();
    await next(connection, isEvent("init"));
    const afterInit = await firstValueFrom(
      connection.signals$.pipe(
        filter((signal) => signal.type !== "open"),
        take(6),
        toArray(),
      ),
    );
    // The init chunk (activity, event), then heartbeats: activity only.
    expect(afterInit.slice(2).every((signal) => signal.type === "activity")).toBe(true);
  });

  it("errors with a NetworkError when the server ends the stream, and eventsource never reconnects", async () => {
    const timers = watchLibraryReconnectTimers();
    try {
      const connection = connect();
      await next(connection, isEvent("init"));
      server.faults.dropStreams();
      const error = await connection.error;
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).toMatch(/event stream ended/);
      await settleMicrotasks();
      // eventsource armed its reconnect (proving the check can fail), and it was cleared at once.
      expect(timers.armed()).toBe(1);
      expect(timers.allCleared()).toBe(true);
    } finally {
      timers.restore();
    }
    expect(streamRequests()).toBe(1);
  });

  it("errors with a NetworkError, without the API key, when nothing listens, and never reconnects", async () => {
    const closedUrl = server.url;
    await server.close();
    const timers = watchLibraryReconnectTimers();
    try {
      const error = await connect(streamUrl(closedUrl)).error;
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).not.toContain(API_KEY);
      await settleMicrotasks();
      expect(timers.armed()).toBe(1);
      expect(timers.allCleared()).toBe(true);
    } finally {
      timers.restore();
    }
  });

  it.each([
    [503, "ServerError", ServerError],
    [500, "ServerError", ServerError],
    [429, "RateLimitError", RateLimitError],
    [401, "AuthenticationError", AuthenticationError],
    [403, "AuthenticationError", AuthenticationError],
  ])("errors on a refused stream (HTTP %p) with a %s", async (status, _name, errorClass) => {
    server.faults.refuseStreams({ status, count: 1 });
    const error = await connect().error;
    expect(error).toBeInstanceOf(errorClass);
    expect((error as { status: number }).status).toBe(status);
    expect(streamRequests()).toBe(1);
  });

  it("reads Retry-After from a refused stream", async () => {
    server.faults.refuseStreams({ status: 503, count: 1, retryAfter: 7 });
    const error = await connect().error;
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).retryAfter).toBe(7);
  });

  it("errors with an AuthenticationError for a wrong key", async () => {
    const error = await connect(streamUrl(server.url, "rg_server_wrong")).error;
    expect(error).toBeInstanceOf(AuthenticationError);
  });

  it("keeps the API key out of the error even when the server echoes it", async () => {
    server.faults.refuseStreams({ status: 500, count: 1, message: `key ${API_KEY} exploded` });
    const error = (await connect().error) as RollgateError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).not.toContain(API_KEY);
  });

  it("errors with a PayloadError when the answer is not an event stream", async () => {
    const error = await connect(`${server.url}/health?token=${API_KEY}`).error;
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).issues[0]?.message).toMatch(/text\/event-stream/);
  });

  it("errors with a TimeoutError when the server does not answer within connectTimeoutMs, and closes the socket", async () => {
    const silent = createServer();
    const sockets: Socket[] = [];
    // Reads (and ignores) the request, so that the client's FIN is seen and the socket closes.
    silent.on("connection", (socket) => sockets.push(socket.resume()));
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    try {
      const { port } = silent.address() as AddressInfo;
      const error = await connect(streamUrl(`http://127.0.0.1:${port}`), 50).error;
      expect(error).toBeInstanceOf(TimeoutError);
      const [socket] = sockets;
      if (socket === undefined) throw new Error("the client never connected");
      if (!socket.closed) await once(socket, "close");
      expect(socket.closed).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it("closes the connection when unsubscribed", async () => {
    const connection = connect();
    await next(connection, isEvent("init"));
    expect(server.streamCount).toBe(1);
    connection.subscription.unsubscribe();
    await server.waitFor((s) => s.streamCount === 0);
    expect(server.streamCount).toBe(0);
  });

  it("aborts the request when unsubscribed before the server answered, emitting nothing", async () => {
    const emitted: SseSignal[] = [];
    openSseConnection({ url: streamUrl(), headers: {}, dispatcher: agent })
      .subscribe((signal) => emitted.push(signal))
      .unsubscribe();
    // Closing the pool waits for in-flight requests: it settles only because ours was aborted.
    await agent.close();
    agent = new Agent();
    await server.waitFor((s) => s.streamCount === 0);
    expect(emitted).toEqual([]);
  });
});

describe("reconnectingStream over openSseConnection", () => {
  /** Runs the stream; `signals$` replays what the connections emitted, `outputs` what the stream did. */
  function keepConnected(readTimeout: number, signals$ = new ReplaySubject<SseSignal>()): ReplaySubject<StreamOutput> {
    const outputs = new ReplaySubject<StreamOutput>();
    const open = (): Observable<SseSignal> =>
      openSseConnection({ url: streamUrl(), headers: { Authorization: `Bearer ${API_KEY}` }, dispatcher: agent }).pipe(
        tap((signal) => signals$.next(signal)),
      );
    subscriptions.push(reconnectingStream(open, { scheduler: asyncScheduler, readTimeout, random: () => 0 }).subscribe(outputs));
    return outputs;
  }

  const status = (name: string) => (output: StreamOutput) => output.type === "status" && output.status === name;

  it("replaces a stalled stream after the read timeout", async () => {
    server.faults.stallStreams(true);
    const outputs = keepConnected(100);
    const backingOff = await firstValueFrom(outputs.pipe(filter(status("backing-off"))));
    expect(backingOff).toMatchObject({ status: "backing-off", attempt: 1 });
    expect(backingOff.type === "status" && backingOff.status === "backing-off" && backingOff.error).toBeInstanceOf(NetworkError);
    server.faults.stallStreams(false);
    await firstValueFrom(outputs.pipe(filter((o) => o.type === "event" && o.event === "init")));
  });

  it("keeps a stream whose only traffic is heartbeats past many read timeouts", async () => {
    await start(0.02);
    const signals$ = new ReplaySubject<SseSignal>();
    const outputs = keepConnected(500, signals$);
    const seen: StreamOutput[] = [];
    outputs.subscribe((output) => seen.push(output));
    // 40 heartbeats of 20 ms: well past the 500 ms read timeout.
    await firstValueFrom(signals$.pipe(filter((signal) => signal.type === "activity"), take(40), toArray()));
    expect(seen.filter((o) => o.type === "status").map((o) => (o.type === "status" ? o.status : ""))).toEqual(["connecting", "open"]);
    expect(streamRequests()).toBe(1);
  });

  // Issue 13 item 17: the error said "will not be retried" while the stream retried. The SSE
  // spec makes 204 the server's way to say "stop reconnecting"; every failure whose error says
  // retrying cannot help (RequestError: 204, 404, 400...) now stops the stream, polling carries on.
  it.each([204, 404])("stops on a %p without retrying, as its error says", async (code) => {
    server.faults.refuseStreams({ status: code, count: "all" });
    const outputs = keepConnected(300_000);
    const all = await firstValueFrom(outputs.pipe(toArray()));
    expect(all.map((o) => (o.type === "status" ? o.status : o.type))).toEqual(["connecting", "stopped"]);
    const stopped = all[1];
    expect(stopped?.type === "status" && stopped.status === "stopped" && stopped.error.message).toMatch(/will not be retried/);
    expect(streamRequests()).toBe(1);
  });

  it("stops on a 401 without retrying", async () => {
    server.faults.refuseStreams({ status: 401, count: "all" });
    const outputs = keepConnected(300_000);
    const all = await firstValueFrom(outputs.pipe(toArray()));
    expect(all.map((o) => (o.type === "status" ? o.status : o.type))).toEqual(["connecting", "stopped"]);
    expect(streamRequests()).toBe(1);
  });
});
