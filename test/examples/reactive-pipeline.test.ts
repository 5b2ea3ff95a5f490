import { firstValueFrom, toArray } from "rxjs";
import { RollgateClient, silentLogger } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { TestData } from "rollgate/testing";
import { serviceMode$, type ServiceMode } from "../../examples/reactive-pipeline";
import { breakCircuit, EXAMPLE_FLAGS_FILE, exampleClient, startExampleServer, temporaryDir } from "./support/example-server";
import { spawnExample, type RunningExample } from "./support/spawn-example";

describe("examples/reactive-pipeline.ts", () => {
  /** Subscribes to the mode of `client`: every emission so far, and all of them once it completes. */
  function watchMode(client: RollgateClient): { modes: ServiceMode[]; all: Promise<ServiceMode[]> } {
    const modes: ServiceMode[] = [];
    const mode$ = serviceMode$(client);
    mode$.subscribe((mode) => modes.push(mode));
    return { modes, all: firstValueFrom(mode$.pipe(toArray())) };
  }

  // The flags of examples/flags.json, served in-process: no server needed to test the pipeline.
  describe("serviceMode$", () => {
    let td: TestData;
    let client: RollgateClient;
    let modes: ServiceMode[];
    let all: Promise<ServiceMode[]>;

    beforeEach(async () => {
      td = await TestData.fromFile(EXAMPLE_FLAGS_FILE);
      client = new RollgateClient({ apiKey: "test", testData: td, logger: silentLogger });
      await client.init();
      ({ modes, all } = watchMode(client));
    });

    afterEach(async () => {
      await client.close();
    });

    it("derives one mode from three flags and the circuit, emitting only when the mode changes", async () => {
      expect(modes).toEqual(["basic"]);
      await td.update(td.flag("beta-dashboard").rollout(100));
      expect(modes).toEqual(["basic", "full"]);
      // A flag the pipeline does not read changes: no emission.
      await td.update(td.flag("rollout-50").rollout(100));
      expect(modes).toEqual(["basic", "full"]);
      await td.update(td.flag("maintenance-mode").on());
      expect(modes).toEqual(["basic", "full", "maintenance"]);
      await td.delete("maintenance-mode");
      expect(modes).toEqual(["basic", "full", "maintenance", "full"]);
    });

    it("completes when the client closes", async () => {
      await client.close();
      expect(await all).toEqual(["basic"]);
    });
  });

  describe("serviceMode$ during an outage", () => {
    let rollgateServer: RollgateServer;
    let client: RollgateClient;

    beforeEach(async () => {
      rollgateServer = await startExampleServer();
      client = exampleClient(rollgateServer);
      await client.init();
    });

    afterEach(async () => {
      await client.close();
      await rollgateServer.close();
    });

    it("turns degraded while the circuit is open, and back once it closes", async () => {
      const { modes } = watchMode(client);
      await breakCircuit(rollgateServer, client);
      expect(modes).toEqual(["basic", "degraded"]);
      rollgateServer.faults.clear();
      client.resetCircuit();
      expect(modes).toEqual(["basic", "degraded", "basic"]);
    });
  });

  describe("run directly", () => {
    let rollgateServer: RollgateServer;
    let example: RunningExample | undefined;
    let cacheHome: Awaited<ReturnType<typeof temporaryDir>>;

    beforeEach(async () => {
      rollgateServer = await startExampleServer();
      cacheHome = await temporaryDir("rollgate-pipeline-");
    });

    afterEach(async () => {
      await example?.stop("SIGKILL");
      await cacheHome.remove();
      await rollgateServer.close();
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
