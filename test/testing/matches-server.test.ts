import { RollgateClient, silentLogger, type EvaluationReason, type JsonValue, type RollgateUser, type UserFlags } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { TestData } from "rollgate/testing";
import { EXAMPLE_FLAGS_FILE, startExampleServer } from "../examples/support/example-server";

const USERS: readonly RollgateUser[] = [
  { id: "user-123" },
  { id: "qa-bot", email: "" },
  { id: "ann", email: "ann@example.com", attributes: { plan: "pro", country: "DE", region: "ap-south-1", app_version: "2.1.0" } },
  { id: "bob", attributes: { plan: "free", country: "US", power_user: true, beta_opt_in: true } },
  ...Array.from({ length: 40 }, (_, index): RollgateUser => ({ id: `visitor-${index}`, attributes: { country: index % 2 === 0 ? "FR" : "US", plan: index % 3 === 0 ? "pro" : "free" } })),
];

/** Every flag's value and reason, as a view serves them. */
function served(flags: UserFlags): Record<string, { value: JsonValue | undefined; reason: EvaluationReason }> {
  const result: Record<string, { value: JsonValue | undefined; reason: EvaluationReason }> = {};
  for (const key of Object.keys(flags.getAllFlags())) result[key] = flags.getValueDetail(key, undefined);
  return result;
}

describe("TestData serves what the local server serves", () => {
  let server: RollgateServer;
  let overHttp: RollgateClient;
  let inProcess: RollgateClient;
  let td: TestData;

  beforeEach(async () => {
    server = await startExampleServer();
    td = await TestData.fromFile(EXAMPLE_FLAGS_FILE);
    overHttp = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, logger: silentLogger });
    inProcess = new RollgateClient({ apiKey: "test", testData: td, logger: silentLogger });
    await Promise.all([overHttp.init(), inProcess.init()]);
  });

  afterEach(async () => {
    await Promise.all([overHttp.close(), inProcess.close()]);
    await server.close();
  });

  async function expectSameForEveryUser(): Promise<void> {
    for (const user of USERS) {
      const [http, local] = await Promise.all([overHttp.forUser(user), inProcess.forUser(user)]);
      expect({ user: user.id, flags: served(local) }).toEqual({ user: user.id, flags: served(http) });
    }
  }

  it("gives every user of examples/flags.json the same values, types and reasons", async () => {
    expect(Object.keys(inProcess.getAllFlags()).length).toBeGreaterThan(8);
    expect(inProcess.getAllFlags()).toEqual(overHttp.getAllFlags());
    await expectSameForEveryUser();
  });

  it("stays the same after the same change on both", async () => {
    const flag = td.flag("theme").forUser("bob", "dark").when("country", "in", ["FR"], "blue").rollout(30);
    server.setFlag(flag.definition);
    await Promise.all([overHttp.refresh(), td.update(flag)]);
    await expectSameForEveryUser();
  });
});
