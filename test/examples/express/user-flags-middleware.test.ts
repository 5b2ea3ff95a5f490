import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { createApp } from "../../../examples/express/app";
import { exampleClient, startExampleServer } from "../support/example-server";
import { expectedCheckout, expectedFlags, flagRequestsByUser, getJsonAs, SAMPLE_USERS, type RequestUser } from "../support/request-users";

function listen(app: ReturnType<typeof createApp>): Promise<{ readonly server: Server; readonly url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, "127.0.0.1", (error?: Error) => {
      if (error) reject(error);
      else resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

/** A deterministic shuffle (mulberry32), so that a failure replays the same order. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let index = result.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}

/** JSON with object keys sorted: equal for equal values, whatever their key order or prototype. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === "object" && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** Runs `work` over `items` with at most `concurrency` calls in flight. */
async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe("the Express example's userFlags middleware", () => {
  let rollgateServer: RollgateServer;
  let client: RollgateClient;
  let http: Server;
  let url: string;

  async function start(overrides: Parameters<typeof exampleClient>[1] = {}): Promise<void> {
    rollgateServer = await startExampleServer();
    client = exampleClient(rollgateServer, overrides);
    await client.init();
    ({ server: http, url } = await listen(createApp({ rollgate: client })));
  }

  afterEach(async () => {
    await new Promise((resolve) => http.close(resolve));
    await client.close();
    await rollgateServer.close();
  });

  it("answers each request with its own user's flags, as the server's targeting says", async () => {
    await start();
    const answers = await Promise.all(SAMPLE_USERS.map((user) => getJsonAs(`${url}/api/checkout`, user)));
    expect(answers).toEqual(SAMPLE_USERS.map((user) => ({ status: 200, body: expectedCheckout(rollgateServer, user) })));
    // The plan decides the rate limit: free, standard (pro) and enterprise users differ.
    expect(answers.map(({ body }) => (body as { rateLimit: unknown }).rateLimit)).toEqual([
      { requests_per_minute: 600, burst: 50 },
      { requests_per_minute: 60, burst: 10 },
      { requests_per_minute: 6000, burst: 500 },
      { requests_per_minute: 600, burst: 50 },
    ]);
  });

  it("answers /api/me/flags with every flag for the request user, user-123 being a target of my-feature", async () => {
    await start();
    for (const user of SAMPLE_USERS) {
      expect(await getJsonAs(`${url}/api/me/flags`, user)).toEqual({ status: 200, body: { user: user.id, flags: expectedFlags(rollgateServer, user) } });
    }
    expect(((await getJsonAs(`${url}/api/me/flags`, SAMPLE_USERS[3])).body as { flags: Record<string, unknown> }).flags["my-feature"]).toBe(true);
  });

  it("answers 401 to a request without a user, and leaves the client-wide routes open to it", async () => {
    await start();
    expect(await getJsonAs(`${url}/api/checkout`, undefined)).toEqual({ status: 401, body: { error: "Unknown user: send the x-user-id header." } });
    expect(await getJsonAs(`${url}/api/feature`, undefined)).toEqual({ status: 200, body: { enabled: true } });
  });

  it("answers 400 for a user too large to send to Rollgate, naming the limit", async () => {
    await start();
    const answer = await getJsonAs(`${url}/api/checkout`, { id: "huge", plan: "p".repeat(9_000) });
    expect(answer.status).toBe(400);
    expect((answer.body as { error: string }).error).toMatch(/over the 8192-byte limit/);
  });

  it("serves a user's defaults, not another user's flags, while Rollgate is down", async () => {
    await start();
    await getJsonAs(`${url}/api/checkout`, SAMPLE_USERS[2]);
    rollgateServer.faults.failFlags({ status: 503, count: "all" });
    const answer = await getJsonAs(`${url}/api/checkout`, { id: "new-user", plan: "enterprise", country: "US" });
    expect(answer).toEqual({ status: 200, body: { variant: "control", ctaColor: "blue", rateLimit: { requests_per_minute: 600, burst: 50 } } });
  });

  it("gives 2,000 requests at concurrency 50 from 200 users each their server-evaluated flags, with one flags request per user", async () => {
    // A freshness window longer than the test: any second request for a user would be a bug.
    await start({ refreshInterval: 3_600 });
    const plans = ["free", "pro", "enterprise"];
    const countries = ["US", "DE", "FR", "GB", "JP", "AT", "BR"];
    const versions = [undefined, "1.9.9", "2.0.0", "2.5.0"];
    const users: RequestUser[] = Array.from({ length: 200 }, (_, index) => {
      const appVersion = versions[index % versions.length];
      return { id: `user-${index}`, plan: plans[index % plans.length]!, country: countries[index % countries.length]!, ...(appVersion ? { appVersion } : {}) };
    });
    const requests = shuffled(
      Array.from({ length: 2_000 }, (_, index) => ({ user: users[index % users.length]!, route: index % 2 === 0 ? "/api/me/flags" : "/api/checkout" })),
      10,
    );
    const expected = new Map(users.map((user) => [user.id, { flags: expectedFlags(rollgateServer, user), checkout: expectedCheckout(rollgateServer, user) }]));
    const wrong: string[] = [];
    let answered = 0;

    await inParallel(requests, 50, async ({ user, route }) => {
      const { status, body } = await getJsonAs(`${url}${route}`, user);
      const want = route === "/api/me/flags" ? { user: user.id, flags: expected.get(user.id)!.flags } : expected.get(user.id)!.checkout;
      answered++;
      if (status !== 200 || canonicalJson(body) !== canonicalJson(want)) wrong.push(`${route} for ${user.id}: got ${status} ${JSON.stringify(body)}, want ${JSON.stringify(want)}`);
    });

    expect(answered).toBe(2_000);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(wrong).toHaveLength(0);
    // One flags request per user (the anonymous one is init()'s, for the client-wide routes).
    const perUser = flagRequestsByUser(rollgateServer);
    expect(Object.fromEntries(users.map((user) => [user.id, perUser.get(user.id)]))).toEqual(Object.fromEntries(users.map((user) => [user.id, 1])));
    expect([...perUser.keys()].filter((id) => !expected.has(id))).toEqual([""]);
  });
});

