import type { RollgateUser } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { RecordingLogger } from "../support/test-client";

/**
 * The overload episodes of `users.maxPending` as a user sees them: what a shed known user is
 * told, when an episode ends, and what each episode logs (issue 25: each test fails on a mutant
 * of src/scope/user-admission.ts that survived the rest of the suite).
 */

const FREE: RollgateUser = { id: "user-2", attributes: { plan: "free" } };

describe("forUser: overload episodes (users.maxPending)", () => {
  const suite = useClientSuite();

  it("tells a known user shed past maxPending that they get their last flags, and serves them", async () => {
    const { client, net } = suite.virtual({ refreshInterval: 30, users: { maxPending: 2, revalidate: "wait" } });
    await client.init();
    const known = await client.forUser(FREE);
    await net.advance(31_000, 1_000);
    suite.server.faults.delay(300, { count: 2 });
    const waiting = [client.forUser({ id: "a" }), client.forUser({ id: "b" })];
    const shed = await client.forUser(FREE);
    expect(shed).toBe(known);
    expect(shed.stale).toBe(true);
    expect(shed.staleReason).toMatch(/serving the last flags without waiting\.$/);
    expect(shed.getString("theme", "none")).toBe("light");
    await Promise.all(waiting);
  });

  it("tells a new user shed past maxPending that they get your defaults", async () => {
    const { client } = suite.virtual({ users: { maxPending: 1 } });
    await client.init();
    suite.server.faults.delay(300, { count: 1 });
    const waiting = client.forUser({ id: "a" });
    const shed = await client.forUser({ id: "b" });
    expect(shed.staleReason).toMatch(/serving your defaults without waiting\.$/);
    await waiting;
  });

  it("ends an episode once the pending fetches have drained to half of maxPending, not before", async () => {
    const { client } = suite.virtual({ users: { maxPending: 3 } });
    await client.init();
    // The first two requests are slow: "a" and "b" stay pending while "c" is answered.
    suite.server.faults.delay(1_000, { count: 2 });
    const slow = [client.forUser({ id: "a" }), client.forUser({ id: "b" })];
    const quick = client.forUser({ id: "c" });
    await client.forUser({ id: "d" });
    expect(client.getStatus().users.overloaded).toBe(true);
    await quick;
    // Two of three pending: more than half.
    expect(client.getStatus().users).toEqual({ overloaded: true, shed: 1 });
    await Promise.all(slow);
    expect(client.getStatus().users).toEqual({ overloaded: false, shed: 1 });
  });

  it("ends an episode when the pending fetches drop to exactly half of an even maxPending, not one later", async () => {
    const logger = new RecordingLogger();
    const { client } = suite.virtual({ users: { maxPending: 4 }, logger });
    await client.init();
    // "a" and "b" stay pending (slow) while "c" and "e" are answered: 4 pending, then exactly 2.
    suite.server.faults.delay(1_000, { count: 2 });
    const slow = [client.forUser({ id: "a" }), client.forUser({ id: "b" })];
    const quick = [client.forUser({ id: "c" }), client.forUser({ id: "e" })];
    await client.forUser({ id: "shed" });
    expect(client.getStatus().users).toEqual({ overloaded: true, shed: 1 });
    await Promise.all(quick);
    // "a" and "b" are still pending: 2 of 4, half.
    expect(client.getStatus().users).toEqual({ overloaded: false, shed: 1 });
    expect(logger.messages.filter((m) => /overload/.test(m.message)).map((m) => m.level)).toEqual(["warn", "info"]);
    await Promise.all(slow);
    expect(logger.messages.filter((m) => /overload/.test(m.message))).toHaveLength(2);
  });

  it("counts the calls shed in each episode apart, and warns once per episode", async () => {
    const logger = new RecordingLogger();
    const { client } = suite.virtual({ users: { maxPending: 1 }, logger });
    await client.init();
    // Not overloaded: a fetch that settles ends no episode.
    await client.forUser({ id: "calm" });
    for (const [round, shedCount] of [
      [1, 2],
      [2, 1],
    ] as const) {
      suite.server.faults.delay(200, { count: 1 });
      const waiting = client.forUser({ id: `waiting-${round}` });
      for (let i = 0; i < shedCount; i++) await client.forUser({ id: `shed-${round}-${i}` });
      await waiting;
    }
    const lines = logger.messages.filter((m) => /overload/.test(m.message));
    expect(lines.map((m) => m.level)).toEqual(["warn", "info", "warn", "info"]);
    expect(lines[1]?.message).toMatch(/; 2 calls were answered without waiting/);
    expect(lines[3]?.message).toMatch(/; 1 calls were answered without waiting/);
    expect(client.getStatus().users).toEqual({ overloaded: false, shed: 3 });
  });

  it("lets a new user wait while fewer than maxPending are pending", async () => {
    const { client } = suite.virtual({ users: { maxPending: 2 } });
    await client.init();
    suite.server.faults.delay(200, { count: 1 });
    const waiting = client.forUser({ id: "a" });
    const second = await client.forUser({ id: "b" });
    expect({ source: second.source, stale: second.stale }).toEqual({ source: "server", stale: false });
    expect(client.getStatus().users).toEqual({ overloaded: false, shed: 0 });
    await waiting;
  });
});
