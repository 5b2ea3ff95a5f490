import { RollgateConfigError } from "rollgate";
import { DEFAULT_EVENTS_OPTIONS, resolveEventsOptions } from "../../src/events/event-options";
import { resolveOptions } from "../../src/client/resolve-options";
import { DEFAULT_TELEMETRY_OPTIONS, resolveTelemetryOptions } from "../../src/telemetry/telemetry-options";

const base = { apiKey: "rg_server_test" };

describe("events and telemetry options", () => {
  it("default to the official SDKs' intervals and batch size, with a 10,000-event queue", () => {
    const resolved = resolveOptions(base);
    expect(resolved.events).toEqual({ flushInterval: 30, maxBatch: 100, maxQueue: 10_000, maxQueueBytes: 8 * 1024 * 1024 });
    expect(resolved.telemetry).toEqual({ flushInterval: 60 });
    expect(resolveEventsOptions(undefined)).toEqual(DEFAULT_EVENTS_OPTIONS);
    expect(resolveTelemetryOptions({})).toEqual(DEFAULT_TELEMETRY_OPTIONS);
  });

  it("can be turned off with false", () => {
    const resolved = resolveOptions({ ...base, events: false, telemetry: false });
    expect(resolved.events).toBe(false);
    expect(resolved.telemetry).toBe(false);
  });

  it("apply what is given and default the rest, without mutating the input", () => {
    const events = Object.freeze({ maxBatch: 500 });
    const resolved = resolveOptions({ ...base, events, telemetry: { flushInterval: 0.5 } });
    expect(resolved.events).toEqual({ flushInterval: 30, maxBatch: 500, maxQueue: 10_000, maxQueueBytes: 8 * 1024 * 1024 });
    expect(resolved.telemetry).toEqual({ flushInterval: 0.5 });
    expect(events).toEqual({ maxBatch: 500 });
  });

  it.each([
    ["events", { flushInterval: 0 }],
    ["events", { flushInterval: -1 }],
    ["events", { maxBatch: 0 }],
    ["events", { maxBatch: 1.5 }],
    ["events", { maxQueue: 50, maxBatch: 100 }],
    ["events", { maxQueueBytes: 65_535 }],
    ["events", { maxQueueBytes: 1.5 * 1024 * 1024 * 1024 }],
    ["events", { maxQueueBytes: 100_000.5 }],
    ["events", { maxBatches: 10 }],
    ["events", true],
    ["telemetry", { flushInterval: Number.NaN }],
    ["telemetry", { interval: 60 }],
    ["telemetry", "off"],
  ])("refuse %s: %p with a RollgateConfigError naming the option", (name, value) => {
    let thrown: unknown;
    try {
      resolveOptions({ ...base, [name]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RollgateConfigError);
    expect((thrown as RollgateConfigError).option).toMatch(new RegExp(`^${name}`));
    expect((thrown as RollgateConfigError).message).toMatch(new RegExp(`^Invalid option ${name}`));
  });
});
