import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from "rxjs";
import { Redis } from "ioredis";
import type { RollgateClient } from "rollgate";
import { RedisCacheStore } from "rollgate/redis";
import type { RollgateServer } from "rollgate/server";
import { describeWithRedis, LocalRedis } from "../support/local-redis";
import { clientFor, flagRequests, quiet, RecordingLogger, startTestServer } from "../support/test-client";
import { eventually } from "../support/virtual-clock";

// Issue 21 item 2: "after a change is announced, no instance serves an entry written before the
// change as fresh", with instances whose clocks disagree by seconds. Each client's scheduler is a
// real one (Node timers) whose clock reads `offset` ms off; time passing is simulated by moving
// both clocks on together, so the skew between them stays what the test says.

/** A real scheduler whose clock reads `offset` ms ahead of this machine's. */
class SkewedClock implements SchedulerLike {
  constructor(private offset: number) {}
  now(): number {
    return Date.now() + this.offset;
  }
  /** `ms` pass on this clock (and only on its `now()`: timers keep real time). */
  advance(ms: number): void {
    this.offset += ms;
  }
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    return asyncScheduler.schedule(work, delay, state);
  }
}

const BLUE_THEME = { key: "theme", enabled: true, rolloutPercentage: 100, variations: { light: "light", blue: "blue" }, defaultVariation: "blue" };

describeWithRedis("instances whose clocks disagree, sharing a RedisCacheStore", () => {
  let redis: LocalRedis;
  let admin: Redis;
  let server: RollgateServer;
  const clients: RollgateClient[] = [];
  const clientOn = (clock: SkewedClock) => {
    const store = new RedisCacheStore({ url: redis.url, logger: new RecordingLogger(), timeoutMs: 1_000, retryIntervalMs: 50, scheduler: clock });
    const client = clientFor(server, { cache: { store }, retry: { maxRetries: 0 }, initTimeout: 2, enableStreaming: true, scheduler: clock });
    clients.push(client);
    return { client, store };
  };
  const asked = (id: string) => flagRequests(server).filter((request) => request.query["user_id"] === id).length;
  const heardChange = (client: RollgateClient) => new Promise<void>((resolve) => client.on("flag-changed", () => resolve()));

  beforeAll(async () => {
    redis = await LocalRedis.start();
    admin = new Redis(redis.url);
  });
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    redis.unpause();
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
    await admin.flushall();
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });

  it.each([
    ["ahead of", 5_000],
    ["behind", -5_000],
  ])("never serve an entry written before a change as fresh, the writer's clock 5 s %s the reader's", async (_, skew) => {
    const writerClock = new SkewedClock(skew);
    const readerClock = new SkewedClock(0);
    const writer = clientOn(writerClock);
    const reader = clientOn(readerClock);
    await Promise.all([writer.client.init(), reader.client.init()]);
    // Each stream's connection counts as a change (it refetches and moves the fleet's generation on).
    await eventually(() => [writer, reader].every(({ client }) => client.getStatus().stream === "open"), 5_000, "the streams to open");
    await quiet(server);

    const user = { id: "dana", attributes: { plan: "pro" } };
    expect((await writer.client.forUser(user)).getString("theme", "none")).toBe("dark");
    await eventually(() => writer.store.stats().writes >= 2, 2_000, "the writer's entry to land");

    // A change, announced to both by their streams, 100 ms after the entry was written.
    const heard = Promise.all([heardChange(writer.client), heardChange(reader.client)]);
    server.setFlag(BLUE_THEME);
    await heard;
    await quiet(server);
    // 4.5 s pass on both clocks: the entry is still younger than refreshInterval.
    writerClock.advance(4_500);
    readerClock.advance(4_500);

    const afterChange = await reader.client.forUser(user);
    const theme = afterChange.getString("theme", "none");
    // Served fresh only with the new value; the old one at most marked stale while it is refetched.
    if (theme === "dark") expect({ source: afterChange.source, stale: afterChange.stale }).toEqual({ source: "cache", stale: true });
    else expect({ theme, stale: afterChange.stale }).toEqual({ theme: "blue", stale: false });
    await eventually(() => asked("dana") === 2, 5_000, "one refetch after the change");
    expect((await reader.client.forUser(user)).getString("theme", "none")).toBe("blue");

    // Entries written after the change are shared as before, whatever the clocks say.
    const erin = { id: "erin", attributes: { plan: "pro" } };
    const writes = writer.store.stats().writes;
    expect((await writer.client.forUser(erin)).getString("theme", "none")).toBe("blue");
    await eventually(() => writer.store.stats().writes > writes, 2_000, "the writer's entry to land");
    const shared = await reader.client.forUser(erin);
    expect({ theme: shared.getString("theme", "none"), source: shared.source, stale: shared.stale }).toEqual({ theme: "blue", source: "cache", stale: false });
    expect(asked("erin")).toBe(1);
  });

  it("trusts no entry after a change announced while Redis was down, until the change is counted in Redis", async () => {
    const clock = new SkewedClock(0);
    const writer = clientOn(clock);
    const reader = clientOn(clock);
    await Promise.all([writer.client.init(), reader.client.init()]);
    // Each stream's connection counts as a change (it refetches and moves the fleet's generation on).
    await eventually(() => [writer, reader].every(({ client }) => client.getStatus().stream === "open"), 5_000, "the streams to open");
    await quiet(server);
    const user = { id: "fay" };
    await writer.client.forUser(user);
    await eventually(() => writer.store.stats().writes >= 2, 2_000, "the writer's entry to land");

    // Redis stops answering (frozen: it comes back with its data) while the change is announced.
    redis.pause();
    const heard = heardChange(reader.client);
    server.setFlag(BLUE_THEME);
    await heard;
    await eventually(() => !reader.store.available, 5_000, "the reader's store to give up on Redis");
    redis.unpause();
    await eventually(() => reader.store.available, 5_000, "the reader's store to resume");
    const afterChange = await reader.client.forUser(user);
    if (afterChange.getString("theme", "none") === "light") expect(afterChange.stale).toBe(true);
    await eventually(() => asked("fay") === 2, 5_000, "one refetch after the change");
  });
});
