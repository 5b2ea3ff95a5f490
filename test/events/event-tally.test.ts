import { CircuitOpenError, NetworkError } from "../../src/errors";
import { EventTally } from "../../src/events/event-tally";
import type { RollgateEvent } from "../../src/model/rollgate-event";

/**
 * What the event sender tells (its counts, events-dropped events and warnings), on its own: the
 * sender's tests drive it through real deliveries; these pin each rule down, the once-per-outage
 * warnings above all.
 */

interface Logged {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields?: unknown;
}

function tallied(maxQueue = 500) {
  const logged: Logged[] = [];
  const emitted: RollgateEvent[] = [];
  const log = (level: Logged["level"]) => (message: string, fields?: Record<string, unknown>) => {
    logged.push(fields === undefined ? { level, message } : { level, message, fields });
  };
  const tally = new EventTally({
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    emit: (event) => emitted.push(event),
    maxQueue,
    maxQueueBytes: 8 * 1024 * 1024,
  });
  return { tally, logged, emitted };
}

describe("EventTally", () => {
  it("counts sent, dropped and invalid events from zero", () => {
    const { tally, emitted } = tallied();
    expect(tally.counts()).toEqual({ sent: 0, dropped: 0, invalid: 0 });
    tally.countSent(10);
    tally.countSent(5);
    tally.countDropped(3, "rejected");
    tally.countDropped(2, "closed");
    tally.countInvalid({ field: "flagKey", expected: "a string" });
    expect(tally.counts()).toEqual({ sent: 15, dropped: 5, invalid: 1 });
    expect(emitted).toEqual([
      { type: "events-dropped", count: 3, reason: "rejected" },
      { type: "events-dropped", count: 2, reason: "closed" },
      { type: "events-dropped", count: 1, reason: "invalid" },
    ]);
  });

  it("tells nothing when nothing was dropped", () => {
    const { tally, emitted } = tallied();
    tally.countDropped(0, "unauthorized");
    expect(emitted).toEqual([]);
    expect(tally.counts().dropped).toBe(0);
  });

  it("warns once per faulty field, and once for all unreadable input", () => {
    const { tally, logged } = tallied();
    tally.countInvalid({ field: "flagKey", expected: "a non-empty string" });
    tally.countInvalid({ field: "flagKey", expected: "a non-empty string" });
    tally.countInvalid({ field: "event", expected: "an object" });
    tally.countInvalid({ field: "event", expected: "an object", unreadable: true });
    tally.countInvalid({ field: "value", expected: "a finite number", unreadable: true });
    const further = "Further events with this problem are dropped silently (counted in getStatus().events.invalid).";
    expect(logged).toEqual([
      { level: "warn", message: `track() dropped an event: expected flagKey to be a non-empty string. ${further}` },
      { level: "warn", message: `track() dropped an event: expected the event to be an object. ${further}` },
      { level: "warn", message: `track() dropped an event that could not be read: reading one of its fields threw (a getter or a Proxy). ${further}` },
    ]);
    expect(tally.counts().invalid).toBe(5);
  });

  it("warns of a full queue once per outage, counting every event it drops", () => {
    const { tally, logged, emitted } = tallied(2_500);
    tally.countQueueFull(4);
    tally.countQueueFull(1);
    const warning = "The conversion events queue is full (events.maxQueue = 2500 events, events.maxQueueBytes = 8388608 bytes) while Rollgate cannot be reached: the oldest events are being dropped (counted in getStatus().events.dropped).";
    expect(logged).toEqual([{ level: "warn", message: warning }]);
    expect(emitted).toEqual([
      { type: "events-dropped", count: 4, reason: "queue-full" },
      { type: "events-dropped", count: 1, reason: "queue-full" },
    ]);
    // A delivered batch ends the outage: the next one warns again.
    tally.countSent(1);
    tally.countQueueFull(2);
    expect(logged).toEqual([
      { level: "warn", message: warning },
      { level: "warn", message: warning },
    ]);
    expect(tally.counts().dropped).toBe(7);
  });

  it("says once per outage that batches stay queued: a warning, or a debug line while the circuit is open", () => {
    const { tally, logged } = tallied();
    const network = new NetworkError("connect ECONNREFUSED");
    const open = new CircuitOpenError();
    const unsent = (error: NetworkError | CircuitOpenError) =>
      `Could not send conversion events; they stay queued (up to events.maxQueue and events.maxQueueBytes) and are sent again at the next flush. ${error.message}`;
    tally.warnUnsent(network);
    tally.warnUnsent(network);
    tally.warnUnsent(open);
    expect(logged).toEqual([{ level: "warn", message: unsent(network), fields: { code: "NETWORK_ERROR" } }]);
    tally.countSent(1);
    tally.warnUnsent(open);
    tally.warnUnsent(network);
    expect(logged.slice(1)).toEqual([{ level: "debug", message: unsent(open), fields: { code: "CIRCUIT_OPEN" } }]);
  });

  it("warns once per key for the sender's life, a delivered batch notwithstanding", () => {
    const { tally, logged } = tallied();
    tally.warnOnce("too-large", "first");
    tally.warnOnce("too-large", "second");
    tally.countSent(1);
    tally.warnOnce("too-large", "third");
    tally.warnOnce("track-closed", "fourth");
    expect(logged).toEqual([
      { level: "warn", message: "first" },
      { level: "warn", message: "fourth" },
    ]);
  });
});
