import { createServer, type AddressInfo, type Socket } from "node:net";
import type { RollgateClient, RollgateEvent } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, flagRequests, quiet, RecordingLogger, startTestServer } from "../support/test-client";
import { eventually, VirtualClock } from "../support/virtual-clock";
import { VirtualNetwork } from "../support/virtual-network";

const streamRequests = (server: RollgateServer) => server.received.requests.filter((r) => r.path === "/api/v1/sdk/stream");

describe("streaming", () => {
  let server: RollgateServer;
  const clients: RollgateClient[] = [];
  const track = (client: RollgateClient) => (clients.push(client), client);

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  it("delivers an admin change to flag$ subscribers in milliseconds, through a refetch of the typed flags", async () => {
    const client = track(clientFor(server, { enableStreaming: true }));
    await client.init();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to open");
    const themes: unknown[] = [];
    client.flag$("theme", "none").subscribe((t) => themes.push(t));
    const start = performance.now();
    server.setFlag({ key: "theme", enabled: true, rolloutPercentage: 100, variations: { d: "dark" }, defaultVariation: "d" });
    await eventually(() => themes.length === 2, 2_000, "the change");
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(themes).toEqual(["light", "dark"]);
    const [stream] = streamRequests(server);
    // The key travels as `token` (the server's log redacts it) and as a bearer header.
    expect(stream!.query.token).toBe("<redacted>");
    expect(stream!.headers.authorization).toBe(true);
  });

  it("pauses polling while the stream is open", async () => {
    const clock = new VirtualClock();
    const client = track(clientFor(server, { enableStreaming: true, refreshInterval: 10, scheduler: clock.scheduler }));
    await client.init();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to open");
    await quiet(server);
    const before = flagRequests(server).length;
    // 29 polling intervals, short of the 300 s read timeout (the test server sends no heartbeats).
    clock.advanceBy(290_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(flagRequests(server).length).toBe(before);
  });

  it("coalesces a burst of 1,000 changes into at most 2 refetches and ends with the right values", async () => {
    // Virtual time stands still: no poll and no reconnection happens unless the test moves it.
    const net = new VirtualNetwork();
    const client = track(clientFor(server, { enableStreaming: true, scheduler: net.scheduler, dispatcher: net.dispatcher }));
    await client.init();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to open");
    await quiet(server);
    const before = flagRequests(server).length;
    for (let i = 0; i < 1_000; i++) {
      server.setFlag({ key: "results-per-page", enabled: true, rolloutPercentage: 100, variations: { n: i }, defaultVariation: "n" });
    }
    await eventually(() => client.getNumber("results-per-page", -1) === 999, 5_000, "the last value");
    // The burst's change signals came on the stream, in order, before its end: once the client
    // sees the end, it has seen every signal. Then the refetches they caused end too (a trailing
    // refetch starts as the one before it ends, so nothing in flight means nothing left).
    server.faults.dropStreams();
    await eventually(() => client.getStatus().stream !== "open", 5_000, "the end of the stream");
    let sent = -1;
    while (sent !== net.sent.length) {
      sent = net.sent.length;
      await net.quiesce(5_000);
    }
    expect(net.inFlight).toBe(0);
    expect(flagRequests(server).length - before).toBeGreaterThanOrEqual(1);
    expect(flagRequests(server).length - before).toBeLessThanOrEqual(2);
    await client.close();
    await net.close();
  });

  it("reconnects with backoff after the server drops the stream, and catches up with a change made meanwhile", async () => {
    const clock = new VirtualClock();
    const client = track(clientFor(server, { enableStreaming: true, scheduler: clock.scheduler }));
    const statuses: string[] = [];
    client.on("stream-status", (e) => statuses.push(e.status));
    await client.init();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to open");
    server.faults.refuseStreams({ status: 503, count: 1 });
    server.faults.dropStreams();
    await eventually(() => client.getStatus().stream === "backing-off", 5_000, "the drop to be noticed");
    server.setFlag({ key: "new-feature", enabled: false });
    // The first retry waits at most 1 s (full jitter); the refused attempt then waits at most 2 s.
    for (let i = 0; i < 10 && client.getStatus().stream !== "open"; i++) {
      clock.advanceBy(1_000);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await eventually(() => client.getStatus().stream === "open", 5_000, "the reconnection");
    await eventually(() => !client.isEnabled("new-feature", true), 5_000, "the missed change");
    expect(streamRequests(server).map((r) => r.status)).toEqual([200, 503, 200]);
    expect(statuses).toEqual(["open", "backing-off", "connecting", "backing-off", "connecting", "open"]);
  });

  it("polls while the stream is down, at refreshInterval or every 30 s when polling is off", async () => {
    const clock = new VirtualClock();
    const client = track(clientFor(server, { enableStreaming: true, refreshInterval: 0, scheduler: clock.scheduler }));
    await client.init();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to open");
    server.faults.refuseStreams({ status: 503, count: "all" });
    server.faults.dropStreams();
    await eventually(() => client.getStatus().stream === "backing-off", 5_000, "the drop");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = flagRequests(server).length;
    server.setFlag({ key: "new-feature", enabled: false });
    clock.advanceBy(30_000);
    await eventually(() => !client.isEnabled("new-feature", true), 5_000, "the poll");
    expect(flagRequests(server).length).toBeGreaterThan(before);
  });

  it("stops on 401, reports an AuthenticationError and stops polling too", async () => {
    const clock = new VirtualClock();
    const logger = new RecordingLogger();
    const client = track(clientFor(server, { enableStreaming: true, scheduler: clock.scheduler, logger }));
    const errors: RollgateEvent[] = [];
    client.on("error", (e) => errors.push(e));
    server.faults.refuseStreams({ status: 401, count: "all" });
    await client.init();
    await eventually(() => client.getStatus().stream === "stopped", 5_000, "the stream to stop");
    expect(errors.map((e) => e.type === "error" && e.error.code)).toContain("AUTH_FAILED");
    const requests = server.received.requests.length;
    clock.advanceBy(3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.received.requests.length).toBe(requests);
    expect(logger.text()).toMatch(/Streaming stopped/);
    expect(logger.text()).not.toContain(server.apiKey);
  });

  it("makes no reconnect storm when the server is gone: the breaker opens and attempts stay few over an hour", async () => {
    const clock = new VirtualClock();
    const client = track(clientFor(server, { enableStreaming: true, scheduler: clock.scheduler, refreshInterval: 30 }));
    await client.init();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to open");
    server.faults.refuseStreams({ status: 503, count: "all" });
    server.faults.failFlags({ status: 503, count: "all" });
    server.faults.dropStreams();
    const start = server.received.requests.length;
    for (let second = 0; second < 3_600; second += 5) {
      clock.advanceBy(5_000);
      await new Promise((resolve) => setImmediate(resolve));
      if (second % 60 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const attempts = server.received.requests.slice(start);
    const streamAttempts = attempts.filter((r) => r.path === "/api/v1/sdk/stream").length;
    // Backoff caps at 30 s (jittered) and the open breaker refuses most attempts in-process: about
    // one stream attempt a minute reaches the server (62 in a measured run), not one a second.
    expect(streamAttempts).toBeGreaterThan(10);
    expect(streamAttempts).toBeLessThanOrEqual(120);
    expect(attempts.length).toBeLessThan(200);
    expect(client.getCircuitState()).not.toBe("closed");
    expect(client.isEnabled("new-feature", false)).toBe(true);
  });

  it("re-opens the stream for the new user on identify, and targeting follows", async () => {
    const client = track(clientFor(server, { enableStreaming: true }));
    await client.init();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to open");
    await client.identify({ id: "user-9", attributes: { plan: "pro" } });
    await eventually(() => streamRequests(server).length === 2 && client.getStatus().stream === "open", 5_000, "the stream to re-open");
    expect(streamRequests(server)[1]!.query.user_id).toBe("user-9");
    expect(client.isEnabled("user-target", false)).toBe(true);
    server.setFlag({ key: "pro-only", enabled: false });
    await eventually(() => !client.isEnabled("pro-only", true), 2_000, "the change for the new user");
    await eventually(() => server.streamCount === 1, 2_000, "the old stream to close");
  });

  it("replaces a stream that stays silent past the read timeout", async () => {
    const clock = new VirtualClock();
    const client = track(clientFor(server, { enableStreaming: true, scheduler: clock.scheduler, streamReadTimeout: 60 }));
    await client.init();
    await eventually(() => client.getStatus().stream === "open", 5_000, "the stream to open");
    server.faults.stallStreams(true);
    server.faults.dropStreams();
    await eventually(() => client.getStatus().stream === "backing-off", 5_000, "the drop");
    clock.advanceBy(1_000);
    await eventually(() => streamRequests(server).length === 2, 5_000, "the stalled connection");
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.faults.stallStreams(false);
    clock.advanceBy(60_000);
    await eventually(() => client.getStatus().stream === "backing-off", 5_000, "the read timeout");
    clock.advanceBy(2_000);
    await eventually(() => client.getStatus().stream === "open", 5_000, "a fresh stream");
    expect(streamRequests(server).length).toBe(3);
  });

  it("close() while connecting leaves no connection behind", async () => {
    // A stream endpoint that accepts the connection and never answers keeps the client connecting.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      socket.resume(); // read, so that the client's FIN is seen
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    const clock = new VirtualClock();
    const client = clientFor(server, { enableStreaming: true, scheduler: clock.scheduler, streamUrl: `http://127.0.0.1:${port}` });
    await client.init();
    await eventually(() => sockets.size === 1, 5_000, "the stream connection");
    expect(client.getStatus().stream).toBe("connecting");
    await client.close();
    await eventually(() => sockets.size === 0, 2_000, "the connection to close");
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it.each(["open", "backing-off"] as const)("close() while %s leaves no connection behind", async (state) => {
    const clock = new VirtualClock();
    if (state === "backing-off") server.faults.refuseStreams({ status: 503, count: "all" });
    const client = clientFor(server, { enableStreaming: true, scheduler: clock.scheduler });
    await client.init();
    await eventually(() => client.getStatus().stream === state, 5_000, state);
    await client.close();
    await eventually(() => server.streamCount === 0, 2_000, "the server to see the stream closed");
    expect(client.getStatus()).toMatchObject({ closed: true, stream: state });
  });
});
