import { Redis } from "ioredis";
import type { RollgateClient } from "rollgate";
import { RedisCacheStore } from "rollgate/redis";
import type { RollgateServer } from "rollgate/server";
import { FleetInstance } from "../support/fleet-instance";
import { describeWithRedis, LocalRedis } from "../support/local-redis";
import { clientFor, flagRequests, quiet, RecordingLogger, startTestServer } from "../support/test-client";
import { eventually } from "../support/virtual-clock";

// A client whose cache store is a RedisCacheStore (issue 21 items 3, 4, 5): the default user's
// flags go through Redis, keys and entries say nothing about users or keys, Redis trouble never
// breaks evaluation, and close() leaves nothing running.

describeWithRedis("a client with a RedisCacheStore", () => {
  let redis: LocalRedis;
  let admin: Redis;
  let server: RollgateServer;
  const clients: RollgateClient[] = [];
  const instances: FleetInstance[] = [];
  const storeFor = (logger = new RecordingLogger()) => new RedisCacheStore({ url: redis.url, logger, timeoutMs: 1_000, retryIntervalMs: 50 });
  const clientWith = (store: RedisCacheStore, options: Parameters<typeof clientFor>[1] = {}) => {
    const client = clientFor(server, { cache: { store }, retry: { maxRetries: 0 }, initTimeout: 2, ...options });
    clients.push(client);
    return client;
  };
  /** The entries in Redis (not the short claims on new users). */
  const redisKeys = () => admin.keys("rollgate:flags-*");

  beforeAll(async () => {
    redis = await LocalRedis.start();
    admin = new Redis(redis.url);
  });
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    for (const instance of instances.splice(0)) instance.kill();
    await server.close();
    if (!redis.running) await redis.restart();
    await admin.flushall();
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });

  it("serves the fleet's last default flags, from the store and stale, to an instance started while Rollgate is down", async () => {
    const user = { id: "jane", email: "jane@example.com", attributes: { plan: "pro" } };
    const first = clientWith(storeFor(), { user });
    await first.init();
    expect(first.getString("theme", "none")).toBe("dark");
    await first.close();
    expect(await redisKeys()).toHaveLength(1);
    await server.close();

    const second = clientWith(storeFor(), { user });
    await second.init();
    expect(second.getString("theme", "none")).toBe("dark");
    expect(second.getStatus()).toMatchObject({ source: "cache", stale: true });
  });

  it("writes keys and entries that name no user, e-mail, attribute or API key", async () => {
    const client = clientWith(storeFor(), { user: { id: "jane-default", email: "jane@example.com", attributes: { plan: "secret-plan" } } });
    await client.init();
    await client.forUser({ id: "bob-per-request", email: "bob@example.com", attributes: { plan: "pro" } });
    await client.close();
    const keys = await admin.keys("*");
    // Two entries (the default user, the per-request user) and the short claim on the new user.
    expect(keys.filter((key) => !key.startsWith("rollgate:lock:"))).toHaveLength(2);
    const everything = [...keys, ...(await Promise.all(keys.map((key) => admin.get(key))))].join("\n");
    for (const secret of ["jane", "bob", "example.com", "secret-plan", server.apiKey]) expect(everything).not.toContain(secret);
    for (const key of keys) expect(key).toMatch(/^rollgate:(lock:)?flags-[0-9a-f]{32}$/);
  });

  it("ignores and counts a corrupt entry in Redis, serving defaults rather than it", async () => {
    const store = storeFor();
    const first = clientWith(store);
    await first.init();
    await first.close();
    const [key] = await redisKeys();
    const entry = (await admin.get(key!))!;
    await admin.set(key!, entry.replace('"enabled":true', '"enabled":"yes"'));
    await server.close();

    const logger = new RecordingLogger();
    const reader = storeFor();
    const second = clientWith(reader, { logger });
    await second.init();
    expect(second.getStatus().source).toBe("defaults");
    expect(second.getString("theme", "none")).toBe("none");
    expect(reader.stats().ignored).toBe(1);
    expect(logger.text()).toContain("Ignoring the flag cache entry");
  });

  it("serves another instance's fresh entry without asking Rollgate, and never one written before a change announced since", async () => {
    const user = { id: "carol", attributes: { plan: "pro" } };
    const writer = clientWith(storeFor());
    const reader = clientWith(storeFor());
    const watcher = clientWith(storeFor(), { enableStreaming: true });
    await Promise.all([writer.init(), reader.init(), watcher.init()]);
    // The watcher's stream connection counts as a change (it refetches and moves the fleet's generation on).
    await eventually(() => watcher.getStatus().stream === "open", 5_000, "the watcher's stream to open");
    await quiet(server);
    const asked = () => flagRequests(server).filter((request) => request.query["user_id"] === "carol").length;
    await writer.forUser(user);
    expect(asked()).toBe(1);
    // Let the writer's save land before the others look.
    await new Promise((resolve) => setTimeout(resolve, 100));

    const fromStore = await reader.forUser(user);
    expect({ source: fromStore.source, stale: fromStore.stale }).toEqual({ source: "cache", stale: false });
    expect(fromStore.getString("theme", "none")).toBe("dark");
    expect(asked()).toBe(1);

    // A change, announced to the watcher by its stream: the entry in Redis predates it.
    const changed = new Promise<void>((resolve) => watcher.on("flag-changed", () => resolve()));
    server.setFlag({ key: "theme", enabled: true, rolloutPercentage: 100, variations: { light: "light", blue: "blue" }, defaultVariation: "blue" });
    await changed;
    const afterChange = await watcher.forUser(user);
    const theme = afterChange.getString("theme", "none");
    // Served fresh only with the new value; the old one at most marked stale while it is refetched.
    if (theme === "dark") expect(afterChange.stale).toBe(true);
    else expect({ theme, stale: afterChange.stale }).toEqual({ theme: "blue", stale: false });
    await eventually(() => asked() === 2, 5_000, "one refetch after the change");
  });

  it("keeps evaluating when Redis dies, and refills the store with what it holds when Redis comes back empty", async () => {
    const logger = new RecordingLogger();
    const store = storeFor(logger);
    const client = clientWith(store);
    await client.init();
    const users = ["u1", "u2", "u3"].map((id) => ({ id, attributes: { plan: id === "u2" ? "pro" : "free" } }));
    for (const user of users) await client.forUser(user);
    await eventually(() => store.stats().writes >= 4, 2_000, "the four entries to be written");

    await redis.kill();
    for (const user of [...users, { id: "u4" }]) {
      const flags = await client.forUser(user);
      expect(flags.getString("theme", "none")).toBe(user.id === "u2" ? "dark" : "light");
    }
    expect(client.getString("theme", "none")).toBe("light");

    await redis.restart();
    await eventually(() => store.available, 5_000, "the store to resume");
    // The default user and the four per-request users, written again (u4 was fetched during the outage).
    const deadline = performance.now() + 5_000;
    let keys = await redisKeys();
    while (keys.length < 5 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      keys = await redisKeys();
    }
    expect(keys).toHaveLength(5);
    expect(logger.messages.filter((m) => m.level === "warn")).toHaveLength(1);
  });

  it("leaves no open handle after close(), with Redis up or down (the process exits by itself)", async () => {
    const up = FleetInstance.start(server.url, server.apiKey, redis.url);
    instances.push(up);
    await up.init();
    await up.ask([{ id: "someone" }]);
    expect(await up.close()).toBe(0);

    await redis.kill();
    const down = FleetInstance.start(server.url, server.apiKey, redis.url);
    instances.push(down);
    expect(await down.init()).toMatchObject({ source: "server" });
    expect((await down.ask([{ id: "someone-else" }])).errors).toBe(0);
    expect(await down.close()).toBe(0);
  }, 60_000);
});
