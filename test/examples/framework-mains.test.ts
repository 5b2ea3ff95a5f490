import type { RollgateServer } from "rollgate/server";
import { getJson, startExampleServer, temporaryDir } from "./support/example-server";
import { expectedFlags, getJsonAs, SAMPLE_USERS } from "./support/request-users";
import { spawnExample, type RunningExample } from "./support/spawn-example";

// Each framework example's main.ts, run as a user runs it (tsx, env vars), against the local server.
describe.each(["express/main.ts", "fastify/main.ts", "nestjs/main.ts"])("examples/%s", (file) => {
  let rollgateServer: RollgateServer;
  let cacheHome: Awaited<ReturnType<typeof temporaryDir>>;
  let example: RunningExample | undefined;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
    cacheHome = await temporaryDir("rollgate-main-");
  });

  afterEach(async () => {
    await example?.stop("SIGKILL");
    await rollgateServer.close();
    await cacheHome.remove();
  });

  it("loads the flags before listening, serves them, and closes everything on SIGTERM", async () => {
    example = spawnExample(file, {
      ROLLGATE_BASE_URL: rollgateServer.url,
      ROLLGATE_API_KEY: rollgateServer.apiKey,
      PORT: "0",
      XDG_CACHE_HOME: cacheHome.path,
    });
    const [, url] = await example.waitForOutput(/listening on (http:\/\/\S+)/);
    // The default would be false: true proves init() ran before the first request.
    expect(await getJson(`${url}/api/feature`)).toEqual({ status: 200, body: { enabled: true } });
    // Per request: the user from the x-user-* headers, through the framework's forUser layer.
    const ana = SAMPLE_USERS[0]!;
    expect(await getJsonAs(`${url}/api/me/flags`, ana)).toEqual({ status: 200, body: { user: "ana", flags: expectedFlags(rollgateServer, ana) } });
    expect(await getJson(`${url}/health`)).toEqual({ status: 200, body: { status: "healthy", circuit: "closed", flags_source: "server" } });

    // Exiting on its own (code 0, no signal) means no timer, socket or stream was left open.
    expect(await example.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(example.stderr()).toBe("");
  });
});
