import type { INestApplication } from "@nestjs/common";
import { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { createNestApp } from "../../../examples/nestjs/create-nest-app";
import { breakCircuit, exampleClientOptions, getJson, startExampleServer } from "../support/example-server";

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

  it("guards /beta on the beta-dashboard flag: 403 while it is off, 200 once it is on", async () => {
    expect((await getJson(`${url}/beta`)).status).toBe(403);
    rollgateServer.setFlag({ key: "beta-dashboard", enabled: true, rolloutPercentage: 100 });
    await client.refresh();
    expect(await getJson(`${url}/beta`)).toEqual({ status: 200, body: { dashboard: "beta" } });
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
