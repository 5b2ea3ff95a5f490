import { firstValueFrom, toArray } from "rxjs";
import type { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { serviceMode$, type ServiceMode } from "../../examples/reactive-pipeline";
import { breakCircuit, exampleClient, startExampleServer, temporaryDir } from "./support/example-server";
import { spawnExample, type RunningExample } from "./support/spawn-example";

describe("examples/reactive-pipeline.ts", () => {
  let rollgateServer: RollgateServer;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
  });

  afterEach(async () => {
    await rollgateServer.close();
  });

  describe("serviceMode$", () => {
    let client: RollgateClient;
    let modes: ServiceMode[];
    let all: Promise<ServiceMode[]>;

    beforeEach(async () => {
      client = exampleClient(rollgateServer);
      await client.init();
      modes = [];
      const mode$ = serviceMode$(client);
      mode$.subscribe((mode) => modes.push(mode));
      all = firstValueFrom(mode$.pipe(toArray()));
    });

    afterEach(async () => {
      await client.close();
    });

    /** Applies a change on the server and fetches it now, rather than waiting for a poll. */
    async function change(apply: () => void): Promise<void> {
      apply();
      await client.refresh();
    }

    it("derives one mode from three flags and the circuit, emitting only when the mode changes", async () => {
      expect(modes).toEqual(["basic"]);
      await change(() => rollgateServer.setFlag({ key: "beta-dashboard", enabled: true, rolloutPercentage: 100 }));
      expect(modes).toEqual(["basic", "full"]);
      // A flag the pipeline does not read changes: no emission.
      await change(() => rollgateServer.setFlag({ key: "rollout-50", enabled: true, rolloutPercentage: 100 }));
      expect(modes).toEqual(["basic", "full"]);
      await change(() => rollgateServer.setFlag({ key: "maintenance-mode", enabled: true, rolloutPercentage: 100 }));
      expect(modes).toEqual(["basic", "full", "maintenance"]);
      await change(() => rollgateServer.deleteFlag("maintenance-mode"));
      expect(modes).toEqual(["basic", "full", "maintenance", "full"]);
    });

    it("turns degraded while the circuit is open, and back once it closes", async () => {
      await breakCircuit(rollgateServer, client);
      expect(modes).toEqual(["basic", "degraded"]);
      rollgateServer.faults.clear();
      client.resetCircuit();
      expect(modes).toEqual(["basic", "degraded", "basic"]);
    });

    it("completes when the client closes", async () => {
      await client.close();
      expect(await all).toEqual(["basic"]);
    });
  });

  describe("run directly", () => {
    let example: RunningExample | undefined;
    let cacheHome: Awaited<ReturnType<typeof temporaryDir>>;

    beforeEach(async () => {
      cacheHome = await temporaryDir("rollgate-pipeline-");
    });

    afterEach(async () => {
      await example?.stop("SIGKILL");
      await cacheHome.remove();
    });

    it("prints the mode as it changes over the stream, and exits on SIGTERM", async () => {
      example = spawnExample("reactive-pipeline.ts", {
        ROLLGATE_BASE_URL: rollgateServer.url,
        ROLLGATE_API_KEY: rollgateServer.apiKey,
        XDG_CACHE_HOME: cacheHome.path,
      });
      // Its user is a pro in the US on 2.1.0: beta-dashboard is on for them, as is new-feature.
      await example.waitForOutput(/mode: full\n/);
      await example.waitForOutput(/Watching the service mode/);
      await rollgateServer.waitFor((server) => server.streamCount === 1);
      rollgateServer.setFlag({ key: "maintenance-mode", enabled: true, rolloutPercentage: 100 });
      await example.waitForOutput(/mode: maintenance\n/);
      expect(await example.stop("SIGTERM")).toEqual({ code: 0, signal: null });
      expect(example.stderr()).toBe("");
    });
  });
});
