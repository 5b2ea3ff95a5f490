import { spawnExample } from "./support/spawn-example";

describe("examples/demo.ts (npm run demo)", () => {
  it("tours every feature with real output, exits 0 and leaves nothing running", async () => {
    const demo = spawnExample("demo.ts", {});
    let exit;
    try {
      // The demo promises to finish within a minute; its own guard exits 1 after 50 s.
      exit = await demo.waitForExit(55_000);
    } finally {
      await demo.stop("SIGKILL");
    }
    const output = demo.stdout();
    // On failure, show everything the demo printed: that is what a newcomer would see.
    const clean = exit.code === 0 && exit.signal === null && demo.stderr() === "";
    expect(clean ? "exited 0, nothing on stderr" : `exit ${JSON.stringify(exit)}\n${output}\nstderr:\n${demo.stderr()}`).toBe("exited 0, nothing on stderr");
    for (const expected of [
      /await client\.init\(\) +resolved in .*; flags from "server"/,
      /getValue\("theme", "light"\) +"dark" +was "light"/,
      /isEnabled\$\("new-feature"\) +-> false/,
      /flag\$\("checkout-variant"\) +-> "variant-b"/,
      /getStatus\(\)\.stream +connecting -> open/,
      /4 changes of new-feature .*: [\d.]+ ms, [\d.]+ ms, [\d.]+ ms, [\d.]+ ms/,
      /getCircuitState\(\) +"open"/,
      /GET \/health +\{"status":"degraded","circuit":"open"/,
      /getStatus\(\)\.source +"cache"/,
      /event circuit-closed/,
      /GET \/health +\{"status":"healthy","circuit":"closed","flags_source":"server","stale":false\}/,
      /Done in [\d.]+ s\./,
    ]) {
      expect(output).toMatch(expected);
    }
  }, 60_000);
});
