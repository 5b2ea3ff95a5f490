import type { RollgateServer } from "rollgate/server";
import { startExampleServer, temporaryDir } from "./support/example-server";
import { spawnExample, type RunningExample } from "./support/spawn-example";

describe("examples/plain-script.ts", () => {
  let rollgateServer: RollgateServer;
  let cacheHome: Awaited<ReturnType<typeof temporaryDir>>;
  let example: RunningExample | undefined;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
    cacheHome = await temporaryDir("rollgate-plain-");
  });

  afterEach(async () => {
    await example?.stop("SIGKILL");
    await rollgateServer.close();
    await cacheHome.remove();
  });

  it("prints the server's flags and exits on its own once the client is closed", async () => {
    rollgateServer.setFlag({ key: "my-feature", enabled: true, rolloutPercentage: 100 });
    example = spawnExample("plain-script.ts", {
      ROLLGATE_BASE_URL: rollgateServer.url,
      ROLLGATE_API_KEY: rollgateServer.apiKey,
      XDG_CACHE_HOME: cacheHome.path,
    });
    expect(await example.waitForExit()).toEqual({ code: 0, signal: null });
    // The script's defaults are false and "dark": these values came from the server.
    expect(example.stdout()).toBe("Feature enabled: true\nTheme: light\n");
    expect(example.stderr()).toBe("");
  });
});
