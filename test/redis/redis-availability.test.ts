import { RedisAvailability } from "../../src/redis/redis-availability";
import { RecordingLogger } from "../support/test-client";
import { settle, VirtualClock } from "../support/virtual-clock";

// The timing of the Redis store's availability, in virtual time: bounded calls, skipping while
// down, probing, one warning per outage (issue 21 item 4). The real-Redis behaviour is in
// redis-cache-store.test.ts.

describe("RedisAvailability", () => {
  let clock: VirtualClock;
  let logger: RecordingLogger;
  let connected: boolean;
  let probe: jest.Mock<Promise<unknown>, []>;
  let resumed: jest.Mock;
  let availability: RedisAvailability;
  const skipped: string[] = [];
  const onSkipped = (reason: string) => skipped.push(reason);
  const never = () => new Promise<string>(() => undefined);
  const warnings = () => logger.messages.filter((m) => m.level === "warn").length;

  beforeEach(() => {
    clock = new VirtualClock();
    logger = new RecordingLogger();
    connected = true;
    probe = jest.fn(() => Promise.resolve("PONG"));
    resumed = jest.fn();
    skipped.length = 0;
    availability = new RedisAvailability({ timeoutMs: 100, retryMs: 1_000, scheduler: clock.scheduler, logger, probe, connected: () => connected, onResumed: resumed });
  });
  afterEach(() => availability.close());

  it("answers the call's value while Redis answers", async () => {
    await expect(availability.run(() => Promise.resolve("value"), "fallback", onSkipped)).resolves.toBe("value");
    expect(availability.available).toBe(true);
    expect(skipped).toEqual([]);
  });

  it("answers the fallback when the timeout passes first, and turns down with one warning", async () => {
    const call = availability.run(never, "fallback", onSkipped);
    clock.advanceBy(99);
    await settle();
    expect(availability.available).toBe(true);
    clock.advanceBy(1);
    await expect(call).resolves.toBe("fallback");
    expect(availability.available).toBe(false);
    expect(skipped).toEqual(["failed"]);
    expect(warnings()).toBe(1);
  });

  it("answers the fallback for a failed or throwing call", async () => {
    await expect(availability.run(() => Promise.reject(new Error("NOAUTH")), 0, onSkipped)).resolves.toBe(0);
    expect(logger.messages.find((m) => m.level === "warn")).toBeDefined();
    availability.close();
    const fresh = new RedisAvailability({ timeoutMs: 100, retryMs: 1_000, scheduler: clock.scheduler, logger, probe, connected: () => true, onResumed: resumed });
    const throwing = () => {
      throw new Error("synchronous");
    };
    await expect(fresh.run(throwing, 0, onSkipped)).resolves.toBe(0);
    fresh.close();
  });

  it("skips every call while down without making it, and probes every retry interval until Redis answers", async () => {
    availability.markDown("connection closed");
    const work = jest.fn(() => Promise.resolve("value"));
    for (let i = 0; i < 1_000; i++) await availability.run(work, "fallback", onSkipped);
    expect(work).not.toHaveBeenCalled();
    expect(skipped).toHaveLength(1_000);

    probe.mockImplementation(() => Promise.reject(new Error("still down")));
    clock.advanceBy(1_000);
    await settle();
    expect(probe).toHaveBeenCalledTimes(1);
    expect(availability.available).toBe(false);

    probe.mockImplementation(() => Promise.resolve("PONG"));
    clock.advanceBy(1_000);
    await settle();
    expect(availability.available).toBe(true);
    expect(resumed).toHaveBeenCalledTimes(1);
    expect(logger.text()).toContain("Redis answers again");
    clock.advanceBy(10_000);
    await settle();
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it("does not probe while the client is reconnecting, and probes at once when it reports ready", async () => {
    connected = false;
    availability.markDown("connection closed");
    clock.advanceBy(5_000);
    await settle();
    expect(probe).not.toHaveBeenCalled();
    connected = true;
    availability.probe();
    await settle();
    expect(probe).toHaveBeenCalledTimes(1);
    expect(availability.available).toBe(true);
  });

  it("logs a second outage within a minute at debug level only (a flapping Redis warns once)", async () => {
    availability.markDown("first");
    availability.probe();
    await settle();
    expect(availability.available).toBe(true);
    clock.advanceBy(30_000);
    availability.markDown("second");
    expect(warnings()).toBe(1);
    availability.probe();
    await settle();
    clock.advanceBy(60_000);
    availability.markDown("third");
    expect(warnings()).toBe(2);
  });

  it("stops probing on close(), and answers the fallback afterwards", async () => {
    availability.markDown("gone");
    availability.close();
    clock.advanceBy(10_000);
    await settle();
    expect(probe).not.toHaveBeenCalled();
    await expect(availability.run(() => Promise.resolve(1), 0, onSkipped)).resolves.toBe(0);
  });
});
