import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { createApp } from "../../../examples/express/app";
import { breakCircuit, exampleClient, getJson, startExampleServer } from "../support/example-server";

function listen(app: ReturnType<typeof createApp>): Promise<{ readonly server: Server; readonly url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, "127.0.0.1", (error?: Error) => {
      if (error) reject(error);
      else resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

describe("the Express example", () => {
  let rollgateServer: RollgateServer;
  let client: RollgateClient;
  let http: Server;
  let url: string;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
    client = exampleClient(rollgateServer);
    await client.init();
    ({ server: http, url } = await listen(createApp({ rollgate: client })));
  });

  afterEach(async () => {
    await new Promise((resolve) => http.close(resolve));
    await client.close();
    await rollgateServer.close();
  });

  it("answers /api/feature with the new-feature flag", async () => {
    expect(await getJson(`${url}/api/feature`)).toEqual({ status: 200, body: { enabled: true } });
  });

  it("answers /api/feature with the flag's new value once the client has it", async () => {
    rollgateServer.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    await client.refresh();
    expect(await getJson(`${url}/api/feature`)).toEqual({ status: 200, body: { enabled: false } });
  });

  it("reports healthy with the circuit closed and flags from the server", async () => {
    expect(await getJson(`${url}/health`)).toEqual({
      status: 200,
      body: { status: "healthy", circuit: "closed", flags_source: "server" },
    });
  });

  it("reports degraded while the circuit is open, and keeps serving the last flags", async () => {
    await breakCircuit(rollgateServer, client);
    expect(await getJson(`${url}/health`)).toEqual({
      status: 200,
      body: { status: "degraded", circuit: "open", flags_source: "server" },
    });
    expect(await getJson(`${url}/api/feature`)).toEqual({ status: 200, body: { enabled: true } });
  });
});
