import {
  AuthenticationError,
  NetworkError,
  PayloadError,
  RateLimitError,
  RequestError,
  ServerError,
  TimeoutError,
  type RollgateClient,
  type RollgateError,
  type RollgateEvent,
  type RollgateOptions,
} from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, flagRequests, RecordingLogger, startTestServer } from "../../support/test-client";
import { VirtualNetwork } from "../../support/virtual-network";

/**
 * What the application sees for each fault the local server can inject (issue 4): values,
 * getStatus(), events, log level, attempts per fetch cycle and the breaker's count, and that
 * the last good snapshot survives. Time is virtual; I/O is real, on 127.0.0.1.
 */

const V2_PATH = "/api/v1/sdk/v2/flags";
const V1_PATH = "/api/v1/sdk/flags";
/** Backoff steps: the default retry delays are below 0.1, 0.2 and 0.4 s. */
const STEP_MS = 250;

type ErrorClass = abstract new (...args: never[]) => RollgateError;

interface Harness {
  readonly server: RollgateServer;
  readonly net: VirtualNetwork;
  readonly client: RollgateClient;
  readonly logger: RecordingLogger;
  /** Every event with the virtual time it was emitted at. */
  readonly events: { readonly at: number; readonly event: RollgateEvent }[];
}

const REPORTED_TYPES = new Set<RollgateEvent["type"]>(["ready", "error", "stale", "circuit-open", "circuit-half-open", "circuit-closed"]);

/** The reported events (not flag changes) since index `from`, as `type` or `error:CODE`. */
function reported(h: Harness, from = 0): string[] {
  return h.events
    .slice(from)
    .filter(({ event }) => REPORTED_TYPES.has(event.type))
    .map(({ event }) => (event.type === "error" ? `error:${event.error.code}` : event.type));
}

describe("what the application sees for each fault", () => {
  const cleanups: (() => Promise<void>)[] = [];

  async function harness(options: Partial<RollgateOptions> = {}, server?: RollgateServer): Promise<Harness> {
    const theServer = server ?? (await startTestServer());
    const net = new VirtualNetwork();
    const logger = new RecordingLogger();
    const client = clientFor(theServer, { scheduler: net.scheduler, dispatcher: net.dispatcher, logger, ...options });
    const events: Harness["events"] = [];
    client.events$.subscribe((event) => events.push({ at: net.now, event }));
    cleanups.push(async () => {
      await client.close();
      await net.close();
      await theServer.close();
    });
    return { server: theServer, net, client, logger, events };
  }

  /** Drives virtual time (backoffs, timeouts) until `work` settles; returns its result. */
  async function settleInVirtualTime<T>(h: Harness, work: Promise<T>, maxRealMsPerStep = 1_000): Promise<T> {
    let settled = false;
    const observed = work.finally(() => (settled = true));
    // Mark the rejection handled here; the caller still sees it through the returned promise.
    observed.catch(() => undefined);
    await h.net.advanceUntil(() => settled, { stepMs: STEP_MS, maxMs: 10 * 60_000, maxRealMsPerStep, what: "the work to settle" });
    return observed;
  }

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  describe("after a good init, one fetch cycle against the fault", () => {
    interface FaultCase {
      readonly fault: string;
      readonly inject: (server: RollgateServer) => void;
      readonly options?: Partial<RollgateOptions>;
      readonly error: ErrorClass;
      readonly code: RollgateError["code"];
      /** Requests in one fetch cycle: 4 when retried (maxRetries 3), else 1. */
      readonly attempts: number;
      /** Whether the status (and an event) says the flags may be out of date. */
      readonly stale: boolean;
      /** Whether each attempt is a consecutive failure for the breaker (§4.2). */
      readonly countsForBreaker: boolean;
      /** Each attempt hangs until the virtual timeout: do not wait for its I/O. */
      readonly hangs?: boolean;
    }

    const retried = { attempts: 4, stale: true, countsForBreaker: true } as const;
    // A body or request the server refused leaves the last flags unvouched for: stale, and why.
    const rejected = { attempts: 1, stale: true, countsForBreaker: false } as const;
    const cases: FaultCase[] = [
      ...[500, 502, 503, 504, 408].map((status) => ({
        fault: `a ${status} storm`,
        inject: (s: RollgateServer) => s.faults.failFlags({ status, count: "all" }),
        error: ServerError,
        code: "SERVER_ERROR" as const,
        ...retried,
      })),
      {
        fault: "a 429 storm without Retry-After",
        inject: (s) => s.faults.failFlags({ status: 429, count: "all" }),
        error: RateLimitError,
        code: "RATE_LIMITED",
        ...retried,
      },
      {
        fault: "a server slower than timeout on every attempt",
        inject: (s) => s.faults.delay(60_000, { count: "all" }),
        // refresh() settles within initTimeout; the 4 timed-out attempts take about 20 s.
        options: { initTimeout: 60 },
        error: TimeoutError,
        code: "TIMEOUT",
        hangs: true,
        ...retried,
      },
      {
        fault: "a 400",
        inject: (s) => s.faults.failFlags({ status: 400, count: "all" }),
        error: RequestError,
        code: "REQUEST_REJECTED",
        ...rejected,
      },
      ...(["not-json", "html", "no-flags", "schema"] as const).map((kind) => ({
        fault: `a 200 with a ${kind} body`,
        inject: (s: RollgateServer) => s.faults.malformed(kind, { count: "all" }),
        error: PayloadError,
        code: "PAYLOAD_INVALID" as const,
        ...rejected,
      })),
      {
        fault: "a 200 with a body over maxPayloadBytes (1 MiB here; the fault sends > 2 MiB)",
        inject: (s) => s.faults.malformed("oversized", { count: "all" }),
        options: { maxPayloadBytes: 1024 * 1024 },
        error: PayloadError,
        code: "PAYLOAD_INVALID",
        ...rejected,
      },
    ];

    it.each(cases)(
      "$fault: $attempts attempt(s), the last good flags kept, stale=$stale, one error event, breaker counts=$countsForBreaker",
      async ({ inject, options, error, code, attempts, stale, countsForBreaker, hangs }) => {
        const h = await harness(options);
        const maxRealMsPerStep = hangs === true ? 10 : 1_000;
        await h.client.init();
        const good = h.client.getAllFlags();
        expect(good).toMatchObject({ "new-feature": true, theme: "light", "results-per-page": 50 });
        const before = { requests: h.net.flagRequests.length, events: h.events.length, logs: h.logger.messages.length };

        inject(h.server);
        await settleInVirtualTime(h, h.client.refresh(), maxRealMsPerStep);

        // Attempts: counted as they left the client (a timed-out one may never be answered).
        expect(h.net.flagRequests.length - before.requests).toBe(attempts);
        // The last good snapshot is still the one served: the very same object.
        expect(h.client.getAllFlags()).toBe(good);
        expect(h.client.getString("theme", "x")).toBe("light");
        expect(h.client.getNumber("results-per-page", 0)).toBe(50);
        expect(h.client.isEnabled("new-feature", false)).toBe(true);
        const status = h.client.getStatus();
        expect(status).toMatchObject({ ready: true, stale, source: "server", circuit: "closed", closed: false });
        expect(status.lastError).toBeInstanceOf(error);
        expect(status.lastError?.code).toBe(code);
        expect(status.staleReason).toBe(stale ? status.lastError?.message : undefined);
        expect(reported(h, before.events)).toEqual(stale ? [`error:${code}`, "stale"] : [`error:${code}`]);
        const logged = h.logger.messages.slice(before.logs).filter((m) => m.level === "warn" || m.level === "error");
        expect(logged).toEqual([{ level: "warn", message: status.lastError?.message }]);
        // The API key appears nowhere the application can see.
        expect(h.logger.text()).not.toContain(h.server.apiKey);
        expect(JSON.stringify({ message: status.lastError?.message, events: h.events.map(({ event }) => (event.type === "error" ? event.error.message : event)) })).not.toContain(h.server.apiKey);

        // The breaker: a second cycle's first attempt is the 5th consecutive failure, and opens it.
        const second = { requests: h.net.flagRequests.length, events: h.events.length };
        await settleInVirtualTime(h, h.client.refresh(), maxRealMsPerStep);
        if (countsForBreaker) {
          expect(h.client.getCircuitState()).toBe("open");
          // One attempt reached the server; its retry was refused by the open circuit.
          expect(h.net.flagRequests.length - second.requests).toBe(1);
          // Failing fast is expected while open: no second error event, the status says why.
          expect(reported(h, second.events)).toEqual(["circuit-open"]);
          expect(h.client.getStatus()).toMatchObject({ circuit: "open", stale: true });
          expect(h.client.getStatus().staleReason).toMatch(/circuit breaker is open/);
          // lastError still names the failure that opened it.
          expect(h.client.getStatus().lastError?.code).toBe(code);
        } else {
          // A server that answers, even badly, is available: the count never reaches 5.
          for (let i = 0; i < 5; i++) await settleInVirtualTime(h, h.client.refresh(), maxRealMsPerStep);
          expect(h.client.getCircuitState()).toBe("closed");
          expect(h.net.flagRequests.length - second.requests).toBe(6);
        }
        expect(h.client.getAllFlags()).toBe(good);

        // Recovery: once the fault is gone, resetCircuit() (or refresh(), when closed) fetches at once.
        h.server.faults.clear();
        h.client.resetCircuit();
        await h.net.quiesce();
        expect(h.client.getStatus()).toMatchObject({ stale: false, source: "server", lastError: undefined, circuit: "closed" });
        expect(h.client.getAllFlags()).toEqual(good);
      },
    );

    it("a bad body or a 4xx between failures resets the breaker's count: both prove the server answers", async () => {
      const h = await harness();
      await h.client.init();
      h.server.faults.failFlags({ status: 503, count: 4 });
      await settleInVirtualTime(h, h.client.refresh());
      h.server.faults.malformed("schema", { count: 1 });
      await settleInVirtualTime(h, h.client.refresh());
      h.server.faults.failFlags({ status: 503, count: 4 });
      await settleInVirtualTime(h, h.client.refresh());
      // 4 + 4 failures, but not consecutive: the bad 200 in between reset the count.
      expect(h.client.getCircuitState()).toBe("closed");
      h.server.faults.failFlags({ status: 400, count: 1 });
      await settleInVirtualTime(h, h.client.refresh());
      h.server.faults.failFlags({ status: 503, count: 4 });
      await settleInVirtualTime(h, h.client.refresh());
      expect(h.client.getCircuitState()).toBe("closed");
      expect(flagRequests(h.server)).toHaveLength(1 + 4 + 1 + 4 + 1 + 4);
    });
  });

  describe("the server down (connection refused)", () => {
    it("at init: init resolves with defaults marked stale, after 4 attempts, and the next poll opens the circuit", async () => {
      const gone = await startTestServer();
      const port = gone.port;
      await gone.close();
      // close() is idempotent: the harness may close it again.
      const h = await harness({}, gone);
      let resolved = false;
      await settleInVirtualTime(
        h,
        h.client.init().then(() => (resolved = true)),
      );
      expect(resolved).toBe(true);
      // Four attempts within a second of virtual time (backoff 0.1, 0.2, 0.4 s at most), well inside initTimeout.
      expect(h.net.flagRequests).toHaveLength(4);
      expect(h.net.now).toBeLessThan(2_000);
      expect(h.client.isEnabled("new-feature", false)).toBe(false);
      expect(h.client.getString("theme", "fallback")).toBe("fallback");
      expect(h.client.getAllFlags()).toEqual({});
      const status = h.client.getStatus();
      expect(status).toMatchObject({ ready: true, stale: true, source: "defaults", circuit: "closed", lastUpdated: undefined });
      expect(status.lastError).toBeInstanceOf(NetworkError);
      expect(status.lastError?.message).toMatch(/ECONNREFUSED/);
      expect(reported(h)).toEqual(["error:NETWORK_ERROR", "stale", "ready"]);
      expect(h.events.find(({ event }) => event.type === "ready")?.event).toEqual({ type: "ready", source: "defaults", stale: true });
      expect(h.logger.messages.filter((m) => m.level !== "debug" && m.level !== "info").map((m) => m.level)).toEqual(["warn"]);

      // The first poll (30 s later) is the 5th consecutive failure: the circuit opens.
      await h.net.advance(30_000, STEP_MS);
      expect(h.net.flagRequests).toHaveLength(5);
      expect(h.client.getStatus()).toMatchObject({ circuit: "open", stale: true, source: "defaults" });

      // The server comes back on the same port: the half-open probe fetches the flags.
      const back = await startTestServer({ port });
      cleanups.push(() => back.close());
      const recoveredAt = await h.net.advanceUntil(() => h.client.isEnabled("new-feature", false), { stepMs: 1_000, maxMs: 120_000, what: "recovery" });
      const openedAt = h.events.find(({ event }) => event.type === "circuit-open")!.at;
      expect(recoveredAt - openedAt).toBeLessThanOrEqual(30_000 + 30_000);
      expect(h.client.getStatus()).toMatchObject({ circuit: "closed", stale: false, source: "server", lastError: undefined });
    });

    it("after a good init: the last good flags keep serving through the outage and are refreshed when it ends", async () => {
      const first = await startTestServer();
      const port = first.port;
      const h = await harness({}, first);
      await h.client.init();
      const good = h.client.getAllFlags();
      await first.close();

      await h.net.advance(30_000 * 10, STEP_MS);
      expect(h.client.getAllFlags()).toBe(good);
      expect(h.client.getStatus()).toMatchObject({ stale: true, source: "server", circuit: "open", lastUpdated: new Date(0) });
      expect(h.client.getStatus().lastError).toBeInstanceOf(NetworkError);
      expect(reported(h).filter((type) => type.startsWith("error"))).toEqual(["error:NETWORK_ERROR"]);

      const back = await startTestServer({ port });
      cleanups.push(() => back.close());
      back.setFlag({ key: "theme", enabled: true, rolloutPercentage: 100, variations: { dark: "dark" }, defaultVariation: "dark" });
      await h.net.advanceUntil(() => h.client.getString("theme", "x") === "dark", { stepMs: 1_000, maxMs: 60_000, what: "the new theme" });
      expect(h.client.getStatus()).toMatchObject({ stale: false, circuit: "closed", lastError: undefined });
    });
  });

  describe("a server slower than timeout", () => {
    it("at init: init settles at initTimeout with defaults marked stale; the cycle ends with a TimeoutError later", async () => {
      const h = await harness();
      h.server.faults.delay(60_000, { count: "all" });
      let settledAt: number | undefined;
      const init = h.client.init().then(() => (settledAt = h.net.now));
      await settleInVirtualTime(h, init, 10);
      // initTimeout (10 s) bounds init; the first two attempts timed out at 5 s each meanwhile.
      expect(settledAt).toBe(10_000);
      expect(h.client.getStatus()).toMatchObject({ ready: true, stale: true, source: "defaults", circuit: "closed", lastError: undefined });
      expect(h.client.getStatus().staleReason).toMatch(/initTimeout/);
      expect(reported(h)).toEqual(["stale", "ready"]);
      expect(h.client.isEnabled("new-feature", false)).toBe(false);

      // The cycle goes on in the background: attempts 3 and 4 time out too, then the error is reported.
      await h.net.advanceUntil(() => h.client.getStatus().lastError !== undefined, { stepMs: STEP_MS, maxMs: 30_000, maxRealMsPerStep: 10, what: "the TimeoutError" });
      expect(h.client.getStatus().lastError).toBeInstanceOf(TimeoutError);
      expect(h.net.flagRequests).toHaveLength(4);
      // Each attempt lasted exactly `timeout` (5 s) of virtual time before the next began.
      const starts = h.net.flagRequests.map((r) => r.at);
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(5_000);
      expect(reported(h)).toEqual(["stale", "ready", "error:TIMEOUT"]);
    });
  });

  describe("Retry-After", () => {
    it.each([
      { status: 429, error: RateLimitError },
      { status: 503, error: ServerError },
    ])("on a $status in seconds: the retry is not earlier than it, then the flags are applied", async ({ status }) => {
      const h = await harness();
      await h.client.init();
      await h.net.advance(1_000);
      h.server.faults.failFlags({ status, count: 1, retryAfter: 7 });
      const refreshed = settleInVirtualTime(h, h.client.refresh());
      await refreshed;
      const [, failed, retry] = h.net.flagRequests;
      expect(retry!.at - failed!.at).toBeGreaterThanOrEqual(7_000);
      // ...and not much later: the retry waits for Retry-After, not for a poll.
      expect(retry!.at - failed!.at).toBeLessThanOrEqual(7_000 + STEP_MS);
      expect(flagRequests(h.server).map((r) => r.status)).toEqual([200, status, 200]);
      expect(h.client.getStatus()).toMatchObject({ stale: false, lastError: undefined });
      expect(reported(h).filter((type) => type.startsWith("error"))).toEqual([]);
    });

    it("as an HTTP date past retry.maxDelay: refresh() reports it at once, and the retry goes at that date (in the scheduler's clock)", async () => {
      const h = await harness();
      await h.client.init();
      await h.net.advance(5_000);
      // Virtual time starts at the epoch: the date is read against scheduler.now().
      const notBefore = new Date(h.net.now + 12_000);
      h.server.faults.failFlags({ status: 429, count: 1, retryAfterDate: notBefore });
      await settleInVirtualTime(h, h.client.refresh());
      expect(h.net.now).toBe(5_000);
      expect(h.client.getStatus()).toMatchObject({ stale: true, staleReason: expect.stringMatching(/retry after 12 s/) });
      expect(h.client.getStatus().lastError).toBeInstanceOf(RateLimitError);
      await h.net.advanceUntil(() => h.net.flagRequests.length === 3, { stepMs: STEP_MS, maxMs: 60_000, what: "the retry" });
      const [, failed, retry] = h.net.flagRequests;
      expect(failed!.at).toBe(5_000);
      expect(retry!.at).toBeGreaterThanOrEqual(notBefore.getTime());
      expect(retry!.at).toBeLessThanOrEqual(notBefore.getTime() + STEP_MS);
      await h.net.quiesce();
      expect(h.client.getStatus()).toMatchObject({ stale: false, lastError: undefined });
    });

    it("longer than the poll interval: init settles at once (no attempt can be in time), and polling sends nothing before it", async () => {
      const h = await harness();
      h.server.faults.failFlags({ status: 429, count: 1, retryAfter: 120 });
      let settledAt: number | undefined;
      const init = h.client.init().then(() => (settledAt = h.net.now));
      await settleInVirtualTime(h, init);
      expect(settledAt).toBe(0);
      expect(h.client.getStatus()).toMatchObject({ stale: true, source: "defaults" });
      await h.net.advanceUntil(() => h.net.flagRequests.length === 2, { stepMs: 1_000, maxMs: 200_000, what: "the retry" });
      expect(h.net.flagRequests.map((r) => r.at)).toEqual([0, 120_000]);
      await h.net.quiesce();
      expect(h.client.getStatus()).toMatchObject({ stale: false, source: "server", lastError: undefined });
      expect(h.client.getString("theme", "x")).toBe("light");
    });
  });

  describe.each([401, 403])("HTTP %i", (status) => {
    it("at init: rejects with AuthenticationError, getters answer defaults, and no request follows for an hour", async () => {
      const h = await harness();
      h.server.faults.failFlags({ status, count: "all" });
      const init = h.client.init();
      await expect(settleInVirtualTime(h, init)).rejects.toBeInstanceOf(AuthenticationError);
      await expect(init).rejects.toMatchObject({ code: "AUTH_FAILED", status });
      expect(h.net.flagRequests).toHaveLength(1);
      expect(h.client.isEnabled("new-feature", false)).toBe(false);
      expect(h.client.getValue("theme", "fallback")).toBe("fallback");
      expect(h.client.isEnabledDetail("new-feature", true)).toEqual({ value: true, reason: { kind: "ERROR", errorKind: "FLAGS_UNAVAILABLE" } });
      const statusNow = h.client.getStatus();
      expect(statusNow).toMatchObject({ ready: true, source: "defaults", stale: true, circuit: "closed" });
      expect(statusNow.lastError).toBeInstanceOf(AuthenticationError);
      expect(reported(h)).toEqual(["error:AUTH_FAILED", "stale", "ready"]);
      expect(h.logger.messages.filter((m) => m.level === "warn" || m.level === "error").map((m) => m.level)).toEqual(["error"]);
      expect(h.logger.text()).not.toContain(h.server.apiKey);

      await h.net.advance(3_600_000, 30_000);
      expect(h.net.flagRequests).toHaveLength(1);

      // refresh() tries again: once, and while the key is still refused polling stays stopped.
      await settleInVirtualTime(h, h.client.refresh());
      expect(h.net.flagRequests).toHaveLength(2);
      await h.net.advance(600_000, 30_000);
      expect(h.net.flagRequests).toHaveLength(2);

      // Once the server accepts the key, refresh() brings the flags and restarts polling.
      h.server.faults.clear();
      await settleInVirtualTime(h, h.client.refresh());
      expect(h.client.getString("theme", "x")).toBe("light");
      expect(h.client.getStatus()).toMatchObject({ stale: false, source: "server", lastError: undefined });
      const resumedAt = h.net.now;
      await h.net.advance(60_000, 30_000);
      expect(h.net.flagRequests.map((r) => r.at - resumedAt)).toEqual(expect.arrayContaining([30_000, 60_000]));
      expect(h.net.flagRequests).toHaveLength(5);
    });

    it.each([
      ["refresh()", (c: RollgateClient) => c.refresh()],
      ["identify()", (c: RollgateClient) => c.identify({ id: "user-1" })],
      ["resetCircuit()", (c: RollgateClient) => Promise.resolve(c.resetCircuit())],
    ] as const)("after a good init: polling stops, the last good flags stay, and %s tries again", async (_name, tryAgain) => {
      const h = await harness();
      await h.client.init();
      const good = h.client.getAllFlags();
      const events = h.events.length;
      h.server.faults.failFlags({ status, count: "all" });
      await h.net.advance(30_000, STEP_MS);
      expect(flagRequests(h.server).map((r) => r.status)).toEqual([200, status]);
      expect(h.client.getAllFlags()).toBe(good);
      expect(h.client.getStatus()).toMatchObject({ stale: true, source: "server", circuit: "closed" });
      expect(h.client.getStatus().lastError).toBeInstanceOf(AuthenticationError);
      expect(reported(h, events)).toEqual(["error:AUTH_FAILED", "stale"]);

      await h.net.advance(3_600_000, 30_000);
      expect(h.net.flagRequests).toHaveLength(2);

      h.server.faults.clear();
      const triedAt = h.net.now;
      await settleInVirtualTime(h, tryAgain(h.client));
      await h.net.quiesce();
      expect(h.client.getStatus()).toMatchObject({ stale: false, lastError: undefined });
      const sent = h.net.flagRequests.length;
      await h.net.advance(triedAt + 30_000 - h.net.now, 1_000);
      // Polling is back, from the moment of the explicit call.
      expect(h.net.flagRequests).toHaveLength(sent + 1);
      expect(h.net.flagRequests.at(-1)!.at).toBe(triedAt + 30_000);
    });
  });

  describe("HTTP 404 (not retried)", () => {
    it("on the typed endpoint: one request there and one on the v1 fallback, no retry, flags kept", async () => {
      const h = await harness();
      await h.client.init();
      const good = h.client.getAllFlags();
      h.server.faults.failFlags({ status: 404, count: "all" });
      await settleInVirtualTime(h, h.client.refresh());
      expect(flagRequests(h.server).slice(1).map((r) => [r.path, r.status])).toEqual([
        [V2_PATH, 404],
        [V1_PATH, 404],
      ]);
      expect(h.client.getAllFlags()).toBe(good);
      expect(h.client.getStatus()).toMatchObject({ stale: true, circuit: "closed" });
      expect(h.client.getStatus().lastError).toBeInstanceOf(RequestError);
      expect(h.client.getStatus().lastError).toMatchObject({ status: 404 });
      expect(reported(h).slice(-2)).toEqual(["error:REQUEST_REJECTED", "stale"]);
    });

    it("on the typed endpoint once: v1 booleans for 10 minutes, then typed values again", async () => {
      const h = await harness();
      await h.client.init();
      expect(h.client.getString("theme", "x")).toBe("light");
      h.server.faults.failFlags({ status: 404, count: 1 });
      await settleInVirtualTime(h, h.client.refresh());
      // v2 answered 404, v1 answered: booleans only, so a typed getter serves its default.
      expect(flagRequests(h.server).slice(-2).map((r) => [r.path, r.status])).toEqual([
        [V2_PATH, 404],
        [V1_PATH, 200],
      ]);
      expect(h.client.getString("theme", "x")).toBe("x");
      await h.net.advance(600_000, 30_000);
      await h.net.quiesce();
      expect(flagRequests(h.server).at(-1)!.path).toBe(V2_PATH);
      expect(h.client.getString("theme", "x")).toBe("light");
    });

    it("on a v1-only server: exactly one request per cycle", async () => {
      const h = await harness({}, await startTestServer({ v2: false }));
      await h.client.init();
      const good = h.client.getAllFlags();
      const before = flagRequests(h.server).length;
      h.server.faults.failFlags({ status: 404, count: "all" });
      await settleInVirtualTime(h, h.client.refresh());
      expect(flagRequests(h.server).slice(before).map((r) => [r.path, r.status])).toEqual([[V1_PATH, 404]]);
      expect(h.client.getAllFlags()).toBe(good);
      expect(h.client.getStatus().lastError).toMatchObject({ code: "REQUEST_REJECTED", status: 404 });
    });
  });
});
