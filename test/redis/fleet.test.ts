import { Redis } from "ioredis";
import type { RollgateUser } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { FleetInstance, type AskReply } from "../support/fleet-instance";
import { describeWithRedis, LocalRedis } from "../support/local-redis";
import { flagRequests, startTestServer } from "../support/test-client";

// A fleet (issue 21 item 6): four client processes, the local Rollgate server and one Redis.
// Every user is asked for on every instance at once; about one instance asks Rollgate for each.
// Then Rollgate stops and a fifth instance, started then, serves every user seen before from
// Redis. Then Rollgate is back and Redis is killed mid-run: no errors, values from Rollgate, and
// the store resumes (refilled) when Redis restarts.

const USERS = 40;
const users = (prefix: string, count: number): RollgateUser[] =>
  Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, attributes: { plan: i % 3 === 0 ? "pro" : "free" } }));

/** What the test flags give each user (test/support/test-flags.ts). */
function expectRightValues(reply: AskReply, asked: readonly RollgateUser[]): void {
  expect(reply.errors).toBe(0);
  for (const user of asked) {
    const pro = user.attributes?.["plan"] === "pro";
    const served = reply.values[user.id];
    if (served?.theme !== (pro ? "dark" : "light")) throw new Error(`${user.id} was served ${JSON.stringify(served)}`);
    expect({ id: user.id, ...served }).toMatchObject({ id: user.id, theme: pro ? "dark" : "light", pro, target: false });
  }
}

/** Flag requests per user id among the requests made for per-request users. */
function requestsPerUser(server: RollgateServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of flagRequests(server)) {
    const id = request.query["user_id"] ?? request.headers["x-user-id"];
    if (id !== undefined && id.startsWith("fleet-")) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describeWithRedis("a fleet of instances sharing Redis", () => {
  let redis: LocalRedis;
  const servers: RollgateServer[] = [];
  const instances: FleetInstance[] = [];

  beforeAll(async () => {
    redis = await LocalRedis.start();
  });
  afterAll(async () => {
    for (const instance of instances) instance.kill();
    await Promise.all(servers.map((server) => server.close()));
    await redis.stop();
  });

  it("asks Rollgate about once per user, survives Rollgate and then Redis going away, and leaves nothing running", async () => {
    const server = await startTestServer();
    servers.push(server);
    const start = () => {
      const instance = FleetInstance.start(server.url, server.apiKey, redis.url);
      instances.push(instance);
      return instance;
    };
    const fleet = [start(), start(), start(), start()];
    for (const status of await Promise.all(fleet.map((instance) => instance.init()))) expect(status).toMatchObject({ source: "server", stale: false });

    // Every user on every instance, all at once, twice.
    const everyone = users("fleet", USERS);
    for (let round = 0; round < 2; round++) {
      for (const reply of await Promise.all(fleet.map((instance) => instance.ask(everyone)))) expectRightValues(reply, everyone);
    }
    const perUser = requestsPerUser(server);
    const total = [...perUser.values()].reduce((sum, n) => sum + n, 0);
    expect(perUser.size).toBe(USERS);
    if (total / USERS > 1.2) throw new Error(`${total / USERS} requests per user; stores: ${JSON.stringify(await Promise.all(fleet.map((instance) => instance.stats())))}`);
    expect(total / USERS).toBeLessThanOrEqual(1.2);

    // Rollgate stops; a fifth instance started now serves everyone seen before, from Redis.
    const { port } = server;
    await server.close();
    const fifth = start();
    expect(await fifth.init()).toMatchObject({ source: "cache", stale: true });
    expect(await fifth.defaults()).toMatchObject({ theme: "light", source: "cache" });
    const fromRedis = await fifth.ask(everyone);
    expectRightValues(fromRedis, everyone);
    for (const user of everyone) expect(fromRedis.values[user.id]).toMatchObject({ source: "cache" });

    // Rollgate is back on the same port; Redis dies mid-run.
    const back = await startTestServer({ port });
    servers.push(back);
    const all = [...fleet, fifth];
    const newcomers = users("fleet-late", 10);
    const during = Promise.all(all.map((instance) => instance.ask(newcomers)));
    await redis.kill();
    for (const reply of await during) expectRightValues(reply, newcomers);
    const afterKill = users("fleet-after", 10);
    for (const reply of await Promise.all(all.map((instance) => instance.ask(afterKill)))) {
      expectRightValues(reply, afterKill);
      for (const user of afterKill) expect(reply.values[user.id]).toMatchObject({ source: "server" });
    }
    for (const stats of await Promise.all(all.map((instance) => instance.stats()))) {
      expect(stats.available).toBe(false);
      expect(stats.warnings.filter((message) => message.includes("Redis is unreachable"))).toHaveLength(1);
    }

    // Redis restarts empty: every instance resumes and refills it with what it holds.
    await redis.restart();
    const resumed = async () => (await Promise.all(all.map((instance) => instance.stats()))).every((stats) => stats.available);
    const admin = new Redis(redis.url);
    try {
      // Every user fetched by some instance, and the default user: 40 + 10 + 10 + 1 entries.
      const refilled = async () => (await resumed()) && (await admin.keys("rollgate:flags-*")).length === USERS + 21;
      const deadline = performance.now() + 10_000;
      let done = false;
      while (!(done = await refilled()) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(done).toBe(true);
    } finally {
      admin.disconnect();
    }

    for (const instance of all) expect(await instance.close()).toBe(0);
  }, 120_000);
});
