import type { RollgateServer } from "rollgate/server";
import { startExampleServer, temporaryDir } from "../support/example-server";
import { spawnExample, type RunningExample } from "../support/spawn-example";

// examples/otel/main.ts, run as a user runs it: each request's span, printed by the console
// exporter, carries a feature_flag.evaluation event per flag the request evaluated.
describe("examples/otel/main.ts", () => {
  let rollgateServer: RollgateServer;
  let cacheHome: Awaited<ReturnType<typeof temporaryDir>>;
  let example: RunningExample | undefined;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
    cacheHome = await temporaryDir("rollgate-otel-");
  });
  afterEach(async () => {
    await example?.stop("SIGKILL");
    await rollgateServer.close();
    await cacheHome.remove();
  });

  it("prints each request's span with the flags it evaluated, and exits cleanly on SIGTERM", async () => {
    example = spawnExample("otel/main.ts", { ROLLGATE_BASE_URL: rollgateServer.url, ROLLGATE_API_KEY: rollgateServer.apiKey, PORT: "0", XDG_CACHE_HOME: cacheHome.path });
    const [, url] = await example.waitForOutput(/listening on (http:\/\/\S+)/, 60_000);
    const response = await fetch(`${url}/api/checkout`, { headers: { "x-user-id": "ana", "x-user-plan": "pro", "x-user-country": "DE" } });
    expect(await response.json()).toEqual({ variant: "control", theme: "dark", newFeature: true });
    await example.waitForOutput(/name: 'GET \/api\/checkout'[\s\S]*'feature_flag\.key': 'new-feature'/);
    const printed = example.stdout();
    for (const [key, value] of [["checkout-variant", "'control'"], ["theme", "'dark'"], ["new-feature", "true"]]) {
      expect(printed).toMatch(new RegExp(`name: 'feature_flag\\.evaluation'[\\s\\S]*?'feature_flag\\.key': '${key}'[\\s\\S]*?'feature_flag\\.result\\.value': ${value}`));
    }
    expect(printed).toContain("'feature_flag.context.id': 'ana'");
    expect(printed).toContain("'feature_flag.provider.name': 'rollgate'");
    expect(await example.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(example.stderr()).toBe("");
  }, 90_000);
});
