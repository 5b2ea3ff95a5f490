import type { FastifyInstance } from "fastify";
import type { RollgateServer } from "rollgate/server";
import { buildServer } from "../../../examples/fastify/app";
import { exampleClientOptions, startExampleServer } from "../support/example-server";
import { expectedCheckout, expectedFlags, flagRequestsByUser, getJsonAs, SAMPLE_USERS } from "../support/request-users";

describe("the Fastify example's userFlags hook", () => {
  let rollgateServer: RollgateServer;
  let app: FastifyInstance;
  let url: string;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
    app = await buildServer(exampleClientOptions(rollgateServer));
    url = await app.listen({ port: 0, host: "127.0.0.1" });
  });

  afterEach(async () => {
    await app.close();
    await rollgateServer.close();
  });

  it("answers each request with its own user's flags, as the server's targeting says", async () => {
    const answers = await Promise.all(SAMPLE_USERS.map((user) => getJsonAs(`${url}/api/checkout`, user)));
    expect(answers).toEqual(SAMPLE_USERS.map((user) => ({ status: 200, body: expectedCheckout(rollgateServer, user) })));
    expect(new Set(answers.map(({ body }) => JSON.stringify(body))).size).toBeGreaterThan(1);
    for (const user of SAMPLE_USERS) {
      expect(await getJsonAs(`${url}/api/me/flags`, user)).toEqual({ status: 200, body: { user: user.id, flags: expectedFlags(rollgateServer, user) } });
    }
  });

  it("fetches a new user's flags once for 20 concurrent requests", async () => {
    const user = { id: "zoe", plan: "enterprise", country: "DE" };
    const answers = await Promise.all(Array.from({ length: 20 }, () => getJsonAs(`${url}/api/checkout`, user)));
    expect(answers).toEqual(Array.from({ length: 20 }, () => ({ status: 200, body: expectedCheckout(rollgateServer, user) })));
    expect(flagRequestsByUser(rollgateServer).get("zoe")).toBe(1);
  });

  it("answers 401 to a request without a user, 400 to a user too large to send, and leaves client-wide routes open", async () => {
    expect(await getJsonAs(`${url}/api/me/flags`, undefined)).toEqual({ status: 401, body: { error: "Unknown user: send the x-user-id header." } });
    const tooLarge = await getJsonAs(`${url}/api/me/flags`, { id: "huge", country: "c".repeat(9_000) });
    expect(tooLarge.status).toBe(400);
    expect((tooLarge.body as { error: string }).error).toMatch(/over the 8192-byte limit/);
    expect(await getJsonAs(`${url}/api/feature`, undefined)).toEqual({ status: 200, body: { enabled: true } });
  });

  it("takes the user from the userOf option when given", async () => {
    await app.close();
    app = await buildServer({ ...exampleClientOptions(rollgateServer), userOf: () => ({ id: "fixed", attributes: { plan: "free" } }) });
    url = await app.listen({ port: 0, host: "127.0.0.1" });
    expect(await getJsonAs(`${url}/api/checkout`, undefined)).toEqual({
      status: 200,
      body: expectedCheckout(rollgateServer, { id: "fixed", plan: "free" }),
    });
  });
});
