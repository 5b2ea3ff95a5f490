import type { INestApplication } from "@nestjs/common";
import { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { createNestApp } from "../../../examples/nestjs/create-nest-app";
import { breakCircuit, exampleClientOptions, getJson, startExampleServer } from "../support/example-server";
import { expectedFlags, flagRequestsByUser, getJsonAs, SAMPLE_USERS } from "../support/request-users";

/** Reads Server-Sent Events from a fetch body, one `data:` payload at a time. */
class SseReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  async next(): Promise<unknown> {
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end !== -1) {
        const event = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const data = event
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).trimStart())
          .join("\n");
        if (data !== "") return JSON.parse(data);
        continue;
      }
      const { value, done } = await this.reader.read();
      if (done) throw new Error("The SSE response ended.");
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }
}

describe("the NestJS example", () => {
  let rollgateServer: RollgateServer;
  let app: INestApplication;
  let url: string;
  let client: RollgateClient;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
    app = await createNestApp(exampleClientOptions(rollgateServer), { logger: false });
    await app.listen(0, "127.0.0.1");
    url = await app.getUrl();
    client = app.get(RollgateClient);
  });

  afterEach(async () => {
    await app.close();
    await rollgateServer.close();
  });

  it("provides one client, initialised by RollgateModule before the app listens", () => {
    expect(client.getStatus()).toMatchObject({ ready: true, source: "server", closed: false });
  });

  it("answers /api/feature with the new-feature flag", async () => {
    expect(await getJson(`${url}/api/feature`)).toEqual({ status: 200, body: { enabled: true } });
  });

  it("guards /beta on the request user's beta-dashboard flag: pro or enterprise, in US/GB/DE, app 2.0.0 or later", async () => {
    const [ana, bo, chen] = SAMPLE_USERS;
    expect(await getJsonAs(`${url}/beta`, ana)).toEqual({ status: 200, body: { dashboard: "beta" } });
    expect((await getJsonAs(`${url}/beta`, bo)).status).toBe(403); // free, JP
    expect((await getJsonAs(`${url}/beta`, chen)).status).toBe(403); // app 1.9.9
    expect((await getJsonAs(`${url}/beta`, { id: "dee", plan: "enterprise", country: "GB", appVersion: "3.0.0" })).status).toBe(200);
    expect(await getJsonAs(`${url}/beta`, undefined)).toEqual({
      status: 401,
      body: { statusCode: 401, error: "Unauthorized", message: "Unknown user: send the x-user-id header." },
    });
  });

  it("judges concurrent requests for different users each on their own flags", async () => {
    const users = Array.from({ length: 40 }, (_, index) => SAMPLE_USERS[index % 2]!); // ana: on, bo: off
    const statuses = await Promise.all(users.map(async (user) => (await getJsonAs(`${url}/beta`, user)).status));
    expect(statuses).toEqual(users.map((user) => (user === SAMPLE_USERS[0] ? 200 : 403)));
    expect(flagRequestsByUser(rollgateServer).get("ana")).toBe(1);
  });

  it("lets a user through /beta once the flag is on for them", async () => {
    const bo = SAMPLE_USERS[1]!;
    expect((await getJsonAs(`${url}/beta`, bo)).status).toBe(403);
    rollgateServer.setFlag({ key: "beta-dashboard", enabled: true, rolloutPercentage: 100 });
    await client.refresh();
    // Stale-while-revalidate (README, "Many users"): bo's flags are now due, so his next request
    // may still be judged on the old flags once while they are refetched; never more than once.
    const answers = [await getJsonAs(`${url}/beta`, bo)];
    while (answers.at(-1)!.status === 403 && answers.length < 100) {
      await new Promise((resolve) => setTimeout(resolve, 20)); // the refetch's round trip
      answers.push(await getJsonAs(`${url}/beta`, bo));
    }
    expect(answers.at(-1)).toEqual({ status: 200, body: { dashboard: "beta" } });
    expect(flagRequestsByUser(rollgateServer).get("bo")).toBe(2); // the first fetch and one refetch
  });

  it("hands /api/me/flags the request user's flags through @UserFlagsParam", async () => {
    for (const user of SAMPLE_USERS) {
      expect(await getJsonAs(`${url}/api/me/flags`, user)).toEqual({ status: 200, body: { user: user.id, flags: expectedFlags(rollgateServer, user) } });
    }
    expect((await getJsonAs(`${url}/api/me/flags`, undefined)).status).toBe(401);
    expect((await getJsonAs(`${url}/api/me/flags`, { id: "huge", plan: "p".repeat(9_000) })).status).toBe(400);
  });

  it("reports healthy, then degraded once the circuit opens", async () => {
    expect(await getJson(`${url}/health`)).toEqual({ status: 200, body: { status: "healthy", circuit: "closed", flags_source: "server" } });
    await breakCircuit(rollgateServer, client);
    expect(await getJson(`${url}/health`)).toEqual({ status: 200, body: { status: "degraded", circuit: "open", flags_source: "server" } });
  });

  it("streams a flag's value, then its changes, to the browser as SSE", async () => {
    const abort = new AbortController();
    const response = await fetch(`${url}/flags/theme/stream`, { signal: abort.signal });
    try {
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const events = new SseReader(response.body!.getReader());
      expect(await events.next()).toEqual({ key: "theme", value: "light" });

      const theme = rollgateServer.getFlag("theme")!;
      rollgateServer.setFlag({ ...theme, defaultVariation: "dark" });
      await client.refresh();
      expect(await events.next()).toEqual({ key: "theme", value: "dark" });
    } finally {
      abort.abort();
    }
  });

  it("closes the client when the app closes (onModuleDestroy)", async () => {
    await app.close();
    expect(client.getStatus().closed).toBe(true);
  });
});
