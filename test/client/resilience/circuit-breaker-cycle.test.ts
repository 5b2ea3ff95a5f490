import type { CircuitState, RollgateClient, RollgateEvent, RollgateOptions } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, flagRequests, RecordingLogger, startTestServer } from "../../support/test-client";
import { VirtualNetwork } from "../../support/virtual-network";

/**
 * The circuit breaker's whole cycle seen through the client (PROTOCOL.md §4.2): closed → open
 * after 5 consecutive failed attempts → half-open after resetTimeout → one probe → closed or
 * open again. Virtual time, real I/O against the local server.
 */

/** Default options (§4.2, §5.1): poll every 30 s, breaker opens at 5, resets after 30 s. */
const POLL_MS = 30_000;
const RESET_MS = 30_000;
const STEP_MS = 250;

interface Harness {
  readonly server: RollgateServer;
  readonly net: VirtualNetwork;
  readonly client: RollgateClient;
  readonly logger: RecordingLogger;
  /** circuit-* events with the virtual time they were emitted at. */
  readonly circuit: { readonly at: number; readonly state: CircuitState }[];
}

describe("the circuit breaker through the client", () => {
  const cleanups: (() => Promise<void>)[] = [];

  async function harness(options: Partial<RollgateOptions> = {}): Promise<Harness> {
    const server = await startTestServer();
    const net = new VirtualNetwork();
    const logger = new RecordingLogger();
    const client = clientFor(server, { scheduler: net.scheduler, dispatcher: net.dispatcher, logger, ...options });
    const circuit: Harness["circuit"] = [];
    client.on("circuit-open", () => circuit.push({ at: net.now, state: "open" }));
    client.on("circuit-half-open", () => circuit.push({ at: net.now, state: "half-open" }));
    client.on("circuit-closed", () => circuit.push({ at: net.now, state: "closed" }));
    cleanups.push(async () => {
      await client.close();
      await net.close();
      await server.close();
    });
    return { server, net, client, logger, circuit };
  }

  /**
   * Starts a 503 outage after a good init and drives polls until the circuit opens, then one
   * more second so that the cycle that opened it ends (its next retry, after a backoff under
   * 0.1 s, is refused). Returns when the circuit opened.
   */
  async function openTheCircuit(h: Harness): Promise<number> {
    await h.client.init();
    h.server.faults.failFlags({ status: 503, count: "all" });
    await h.net.advanceUntil(() => h.client.getCircuitState() === "open", { stepMs: STEP_MS, maxMs: 5 * POLL_MS, what: "the circuit to open" });
    await h.net.advance(1_000, STEP_MS);
    return h.circuit.find((c) => c.state === "open")!.at;
  }

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("opens at the 5th consecutive failed attempt, counting retries: a 4-attempt cycle, then the next poll's first attempt", async () => {
    const h = await harness();
    const openedAt = await openTheCircuit(h);
    const requests = h.net.flagRequests;
    // The init fetch, a whole cycle of 4 failed attempts at the first poll, then 1 at the second.
    expect(requests).toHaveLength(1 + 4 + 1);
    expect(requests[1]!.at).toBe(POLL_MS);
    expect(requests[5]!.at).toBe(2 * POLL_MS);
    expect(openedAt).toBe(2 * POLL_MS);
    expect(flagRequests(h.server).map((r) => r.status)).toEqual([200, 503, 503, 503, 503, 503]);
    expect(h.client.getStatus()).toMatchObject({ circuit: "open", stale: true, source: "server" });
    expect(h.circuit).toEqual([{ at: openedAt, state: "open" }]);
  });

  it("with failureThreshold 2, opens inside the first cycle and refuses that cycle's remaining retries", async () => {
    const h = await harness({ circuitBreaker: { failureThreshold: 2 } });
    await h.client.init();
    h.server.faults.failFlags({ status: 500, count: "all" });
    await h.net.advance(POLL_MS + 2_000, STEP_MS);
    expect(flagRequests(h.server).map((r) => r.status)).toEqual([200, 500, 500]);
    expect(h.client.getCircuitState()).toBe("open");
  });

  it("while open, no request reaches the server over many polls, and refresh() and identify() resolve at once without network", async () => {
    const h = await harness({ circuitBreaker: { resetTimeout: 600 } });
    await h.client.init();
    const good = h.client.getAllFlags();
    h.server.faults.failFlags({ status: 503, count: "all" });
    await h.net.advanceUntil(() => h.client.getCircuitState() === "open", { stepMs: STEP_MS, maxMs: 5 * POLL_MS, what: "the circuit to open" });
    const openedAt = h.net.now;
    const received = h.server.received.requests.length;
    const sent = h.net.sent.length;

    // 19 poll ticks while open (600 s reset timeout, 30 s polls).
    await h.net.advance(570_000, POLL_MS);
    expect(h.net.now - openedAt).toBe(570_000);
    expect(h.client.getCircuitState()).toBe("open");

    const at = h.net.now;
    await h.client.refresh();
    await h.client.identify({ id: "user-7", attributes: { plan: "pro" } });
    await h.client.refresh();
    // Resolved without virtual time passing and without a byte on the wire (no identify POST either).
    expect(h.net.now).toBe(at);
    expect(h.net.sent).toHaveLength(sent);
    expect(h.server.received.requests).toHaveLength(received);
    expect(h.server.received.identifies).toHaveLength(0);
    expect(h.client.getStatus()).toMatchObject({ circuit: "open", stale: true });
    expect(h.logger.messages.filter((m) => m.level === "debug" && /circuit/i.test(m.message)).length).toBeGreaterThanOrEqual(3);
    // The new user's flags could not be fetched: defaults with an ERROR reason, never the
    // previous user's flags (`good`).
    expect(h.client.getAllFlags()).not.toBe(good);
    expect(h.client.getAllFlags()).toEqual({});
    expect(h.client.isEnabledDetail("new-feature", false)).toEqual({ value: false, reason: { kind: "ERROR", errorKind: "FLAGS_UNAVAILABLE" } });
  });

  it("turns half-open after resetTimeout, lets exactly one probe through however many fetches are asked for, and closes on its success", async () => {
    const h = await harness();
    const openedAt = await openTheCircuit(h);
    await h.net.advance(RESET_MS, STEP_MS);
    expect(h.circuit.map((c) => [c.state, c.at])).toEqual([
      ["open", openedAt],
      ["half-open", openedAt + RESET_MS],
    ]);
    expect(h.client.getStatus().circuit).toBe("half-open");

    // Up to just before the next poll tick, nothing is sent: half-open waits for a fetch.
    const before = flagRequests(h.server).length;
    const nextPollAt = openedAt + RESET_MS + POLL_MS;
    await h.net.advance(nextPollAt - 1_000 - h.net.now, 1_000);
    expect(flagRequests(h.server)).toHaveLength(before);

    // The server is back but slow to answer the probe (100 ms, real time): the fetches asked for
    // meanwhile, and the poll tick that falls during it (1 s of virtual time, within the 5 s
    // timeout), all join the one probe.
    h.server.faults.clear();
    h.server.faults.delay(100, { count: 1 });
    const fetches = [h.client.refresh(), h.client.refresh(), h.client.refresh()];
    h.net.clock.advanceBy(1_000);
    await Promise.all(fetches);
    await h.net.quiesce();
    expect(flagRequests(h.server).length - before).toBe(1);
    expect(h.client.getStatus()).toMatchObject({ circuit: "closed", stale: false, lastError: undefined });
    expect(h.circuit.map((c) => c.state)).toEqual(["open", "half-open", "closed"]);
  });

  it("re-opens on a failed probe for another resetTimeout, and the events come in order", async () => {
    const h = await harness();
    const states: CircuitState[] = [];
    h.client.circuitState$.subscribe((state) => states.push(state));
    const openedAt = await openTheCircuit(h);

    // Half-open at openedAt + 30 s, just after the poll of that instant; the next poll probes.
    await h.net.advance(RESET_MS + POLL_MS, STEP_MS);
    const probes = flagRequests(h.server).slice(6);
    expect(probes.map((r) => r.status)).toEqual([503]);
    const probeAt = h.net.flagRequests[6]!.at;
    expect(probeAt).toBe(openedAt + RESET_MS + POLL_MS);
    expect(h.circuit.map((c) => [c.state, c.at])).toEqual([
      ["open", openedAt],
      ["half-open", openedAt + RESET_MS],
      ["open", probeAt],
    ]);

    // Open for another full resetTimeout from the failed probe.
    await h.net.advance(probeAt + RESET_MS - 1 - h.net.now, STEP_MS);
    expect(h.client.getCircuitState()).toBe("open");
    await h.net.advance(1);
    expect(h.client.getCircuitState()).toBe("half-open");
    expect(flagRequests(h.server)).toHaveLength(7);
    h.server.faults.clear();
    await h.net.advanceUntil(() => h.client.getCircuitState() === "closed", { stepMs: 1_000, maxMs: RESET_MS + POLL_MS, what: "the circuit to close" });
    expect(states).toEqual(["closed", "open", "half-open", "open", "half-open", "closed"]);
    expect(h.circuit.map((c) => c.state)).toEqual(["open", "half-open", "open", "half-open", "closed"]);
    expect(h.client.getString("theme", "x")).toBe("light");
  });

  describe("recovery after an outage, with default options", () => {
    // In the steady state of a long outage a failed probe re-opens the circuit at a poll tick P;
    // its reset timer ends at P + 30 s, the same instant as the next poll tick, which runs first and
    // is refused; the next probe goes at P + 60 s. An outage ending `offset` ms after a failed probe
    // is therefore noticed at P + 60 s: recovery takes 60 s - offset, at most resetTimeout + one poll.
    it.each([1, 1_000, 15_000, 29_999, 30_000, 45_000, 59_999])(
      "when the server comes back %i ms after a failed probe, the flags are fresh again within 60 s - that",
      async (offset) => {
        const h = await harness();
        await openTheCircuit(h);
        // Let one probe fail, so that the schedule is in its steady state.
        await h.net.advanceUntil(() => h.circuit.filter((c) => c.state === "open").length === 2, { stepMs: 1_000, maxMs: 2 * (RESET_MS + POLL_MS), what: "a failed probe" });
        const failedProbeAt = h.circuit.at(-1)!.at;
        h.server.setFlag({ key: "theme", enabled: true, rolloutPercentage: 100, variations: { dark: "dark" }, defaultVariation: "dark" });
        await h.net.advance(failedProbeAt + offset - h.net.now, STEP_MS);
        const backAt = h.net.now;
        const sent = h.net.flagRequests.length;
        h.server.faults.clear();
        await h.net.advanceUntil(() => h.client.getString("theme", "x") === "dark", { stepMs: 1_000, maxMs: 2 * (RESET_MS + POLL_MS), what: "recovery" });
        // The successful probe is the first request after the server came back; its answer is
        // applied as soon as it arrives (milliseconds on loopback).
        expect(h.net.flagRequests).toHaveLength(sent + 1);
        const recoveredAt = h.net.flagRequests.at(-1)!.at;
        expect(recoveredAt - backAt).toBeLessThanOrEqual(RESET_MS + POLL_MS);
        expect(recoveredAt - backAt).toBe(RESET_MS + POLL_MS - offset);
        expect(h.client.getStatus()).toMatchObject({ circuit: "closed", stale: false, lastError: undefined });
      },
    );
  });

  describe("resetCircuit()", () => {
    it("closes an open circuit and fetches at once, without waiting for resetTimeout", async () => {
      const h = await harness();
      await openTheCircuit(h);
      h.server.faults.clear();
      const at = h.net.now;
      const sent = h.net.flagRequests.length;
      h.client.resetCircuit();
      expect(h.client.getCircuitState()).toBe("closed");
      expect(h.circuit.at(-1)).toEqual({ at, state: "closed" });
      expect(h.net.flagRequests).toHaveLength(sent + 1);
      expect(h.net.flagRequests.at(-1)!.at).toBe(at);
      await h.net.quiesce();
      expect(h.client.getStatus()).toMatchObject({ circuit: "closed", stale: false, lastError: undefined });
    });

    it("against a server still down, starts counting from zero: one failed cycle leaves it closed", async () => {
      const h = await harness();
      await openTheCircuit(h);
      const sent = h.net.flagRequests.length;
      h.client.resetCircuit();
      await h.net.advance(2_000, STEP_MS);
      expect(h.net.flagRequests.length - sent).toBe(4);
      expect(h.client.getCircuitState()).toBe("closed");
      expect(h.client.getStatus().stale).toBe(true);
    });
  });

  describe("while the fetch cycle that opened the circuit still waits out a Retry-After", () => {
    // 503s with Retry-After: 8 (short enough to wait within a cycle). The poll at 30 s runs a
    // 4-attempt cycle (30, 38, 46, 54 s); the poll at 60 s sends nothing (the server said not
    // before 62 s); at 62 s the 5th consecutive failed attempt opens the circuit, and its cycle
    // then waits the 8 s Retry-After before its next retry, which the open circuit refuses.
    async function openDuringARetryAfter(h: Harness): Promise<number> {
      await h.client.init();
      h.server.faults.failFlags({ status: 503, count: "all", retryAfter: 8 });
      await h.net.advanceUntil(() => h.client.getCircuitState() === "open", { stepMs: 1_000, maxMs: 5 * POLL_MS, what: "the circuit to open" });
      expect(h.net.flagRequests.map((r) => r.at)).toEqual([0, 30_000, 38_000, 46_000, 54_000, 62_000]);
      expect(h.net.now).toBe(62_000);
      return h.net.now;
    }

    it("refresh() resolves at once without network, as it does whenever the circuit is open", async () => {
      const h = await harness();
      await openDuringARetryAfter(h);
      let resolved = false;
      const refreshed = h.client.refresh().then(() => (resolved = true));
      await h.net.quiesce();
      expect(resolved).toBe(true);
      expect(h.net.flagRequests).toHaveLength(6);
      await h.net.advance(8_000, 1_000);
      await refreshed;
    });

    it("resetCircuit() fetches at once, not when the old cycle's Retry-After ends", async () => {
      const h = await harness();
      const openedAt = await openDuringARetryAfter(h);
      h.server.faults.clear();
      h.client.resetCircuit();
      await h.net.quiesce();
      expect(h.net.flagRequests.map((r) => r.at).slice(6)).toEqual([openedAt]);
      expect(h.client.getStatus()).toMatchObject({ circuit: "closed", stale: false });
    });
  });

  it("emits circuit events on events$ too, in the same order as on()", async () => {
    const h = await harness();
    const types: RollgateEvent["type"][] = [];
    h.client.events$.subscribe((e) => {
      if (e.type.startsWith("circuit-")) types.push(e.type);
    });
    await openTheCircuit(h);
    h.server.faults.clear();
    await h.net.advanceUntil(() => h.client.getCircuitState() === "closed", { stepMs: 1_000, maxMs: RESET_MS + POLL_MS, what: "the circuit to close" });
    expect(types).toEqual(["circuit-open", "circuit-half-open", "circuit-closed"]);
    expect(h.circuit.map((c) => `circuit-${c.state}`)).toEqual(types);
  });
});
