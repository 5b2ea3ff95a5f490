import type { FastifyInstance } from "fastify";
import type { RollgateServer } from "rollgate/server";
import { buildServer } from "../../../examples/fastify/app";
import { breakCircuit, exampleClientOptions, getJson, startExampleServer } from "../support/example-server";

describe("the Fastify example", () => {
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

  it("initialises the client in onReady, before the first request", () => {
    expect(app.rollgate.getStatus()).toMatchObject({ ready: true, source: "server" });
  });

  it("answers /api/feature with the new-feature flag, through the rollgate decorator", async () => {
    expect(await getJson(`${url}/api/feature`)).toEqual({ status: 200, body: { enabled: true } });
    rollgateServer.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    await app.rollgate.refresh();
    expect(await getJson(`${url}/api/feature`)).toEqual({ status: 200, body: { enabled: false } });
  });

  it("reports healthy, then degraded once the circuit opens", async () => {
    expect(await getJson(`${url}/health`)).toEqual({ status: 200, body: { status: "healthy", circuit: "closed", flags_source: "server" } });
    await breakCircuit(rollgateServer, app.rollgate);
    expect(await getJson(`${url}/health`)).toEqual({ status: 200, body: { status: "degraded", circuit: "open", flags_source: "server" } });
  });

  it("closes the client in onClose", async () => {
    await app.close();
    expect(app.rollgate.getStatus().closed).toBe(true);
  });
});
