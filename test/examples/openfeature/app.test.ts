import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AsyncLocalStorageTransactionContextPropagator, NOOP_TRANSACTION_CONTEXT_PROPAGATOR, OpenFeature } from "@openfeature/server-sdk";
import type { RollgateClient } from "rollgate";
import { RollgateProvider } from "rollgate/openfeature";
import type { RollgateServer } from "rollgate/server";
import { evaluateFlag } from "../../../src/evaluation";
import { createApp, FLAG_DEFAULTS, type FlagsAnswer } from "../../../examples/openfeature/app";
import { flagRequests } from "../../support/test-client";
import { exampleClient, getJson, startExampleServer } from "../support/example-server";
import { spawnExample, type RunningExample } from "../support/spawn-example";

/** One of the example's users, as the headers the app reads. */
interface TestUser {
  readonly id: string;
  readonly email?: string;
  readonly plan: string;
  readonly country: string;
}

const PLANS = ["free", "pro", "enterprise"];
const COUNTRIES = ["US", "DE", "FR", "GB", "JP", "AT"];

/** 100 users with different ids, plans, countries, and staff (example.com) or customer emails or none. */
const USERS: readonly TestUser[] = Array.from({ length: 100 }, (_, i) => {
  const base = { id: `user-${i}`, plan: PLANS[i % 3]!, country: COUNTRIES[i % 6]! };
  if (i % 4 === 0) return { ...base, email: `staff${i}@example.com` };
  if (i % 4 === 1) return { ...base, email: `customer${i}@mail.test` };
  return base;
});

function headersOf(user: TestUser): Record<string, string> {
  return { "x-user-id": user.id, "x-user-plan": user.plan, "x-user-country": user.country, ...(user.email === undefined ? {} : { "x-user-email": user.email }) };
}

/** What the server's own evaluation gives `user` (anonymous: undefined), with the app's defaults where a flag serves nothing. */
function expectedFor(server: RollgateServer, user: TestUser | undefined): FlagsAnswer {
  const { flags, segments } = server.getFlags();
  const evaluationUser =
    user === undefined ? { id: "" } : { id: user.id, ...(user.email === undefined ? {} : { email: user.email }), attributes: { plan: user.plan, country: user.country } };
  const served = <T>(key: string, fallback: T): T => {
    const evaluation = evaluateFlag(flags.find((flag) => flag.key === key)!, evaluationUser, segments);
    if (evaluation.type === "boolean") return evaluation.enabled as T;
    return evaluation.enabled ? (evaluation.value as T) : fallback;
  };
  return {
    myFeature: served("my-feature", FLAG_DEFAULTS.myFeature),
    theme: served("theme", FLAG_DEFAULTS.theme),
    ctaColor: served("cta-color", FLAG_DEFAULTS.ctaColor),
    resultsPerPage: served("results-per-page", FLAG_DEFAULTS.resultsPerPage),
    rateLimit: served("rate-limit-config", FLAG_DEFAULTS.rateLimit),
  };
}

/** JSON with object keys sorted: the server's JSON orders keys its own way. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

describe("the OpenFeature example", () => {
  let rollgateServer: RollgateServer;
  let client: RollgateClient;
  let http: Server;
  let url: string;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
    client = exampleClient(rollgateServer);
    OpenFeature.setTransactionContextPropagator(new AsyncLocalStorageTransactionContextPropagator());
    await OpenFeature.setProviderAndWait(new RollgateProvider(client));
    http = createApp().listen(0, "127.0.0.1");
    await new Promise((resolve) => http.once("listening", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => http.close(resolve));
    await OpenFeature.clearProviders();
    OpenFeature.setTransactionContextPropagator(NOOP_TRANSACTION_CONTEXT_PROPAGATOR);
    await client.close();
    await rollgateServer.close();
  });

  it("answers 1,000 concurrent requests across 100 users, each with that user's flags (0 wrong), one flags request per user", async () => {
    const expected = new Map(USERS.map((user) => [user.id, expectedFor(rollgateServer, user)]));
    // The users differ: a mix-up between them would show.
    expect(new Set([...expected.values()].map((answer) => JSON.stringify(answer))).size).toBeGreaterThanOrEqual(8);
    rollgateServer.clearReceived();

    const requests = Array.from({ length: 1_000 }, async (_, i) => {
      const user = USERS[(i * 37) % USERS.length]!;
      const response = await fetch(`${url}/api/flags`, { headers: headersOf(user) });
      return { user, status: response.status, body: (await response.json()) as FlagsAnswer };
    });
    const answers = await Promise.all(requests);

    const wrong = answers.filter(({ user, status, body }) => status !== 200 || canonical(body) !== canonical(expected.get(user.id)));
    expect(wrong).toEqual([]);
    expect(flagRequests(rollgateServer)).toHaveLength(USERS.length);
  });

  it("a request without a user gets the client's default user's flags", async () => {
    expect(await getJson(`${url}/api/flags`)).toEqual({ status: 200, body: expectedFor(rollgateServer, undefined) });
  });

  it("reports the provider's status on /health", async () => {
    expect(await getJson(`${url}/health`)).toEqual({ status: 200, body: { provider: "READY" } });
  });
});

describe("examples/openfeature/main.ts", () => {
  let rollgateServer: RollgateServer;
  let example: RunningExample | undefined;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
  });

  afterEach(async () => {
    await example?.stop("SIGKILL");
    await rollgateServer.close();
  });

  it("registers the provider before listening, answers per user, and closes everything on SIGTERM", async () => {
    example = spawnExample("openfeature/main.ts", { ROLLGATE_BASE_URL: rollgateServer.url, ROLLGATE_API_KEY: rollgateServer.apiKey, PORT: "0" });
    const [, url] = await example.waitForOutput(/listening on (http:\/\/\S+)/);
    const pro: TestUser = { id: "user-1", plan: "pro", country: "DE" };
    const response = await fetch(`${url}/api/flags`, { headers: headersOf(pro) });
    expect(await response.json()).toEqual(expectedFor(rollgateServer, pro));
    // Exiting on its own (code 0) means OpenFeature.close() closed the provider's client.
    expect(await example.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(example.stderr()).toBe("");
  });
});
