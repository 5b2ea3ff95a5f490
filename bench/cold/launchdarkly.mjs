/* global process, performance */
// Cold start of LaunchDarkly's server SDK on its offline file data (the same flag count), one read.
const start = performance.now();
const [, , , dataDir] = process.argv.slice(2);
const { init, integrations } = await import("@launchdarkly/node-server-sdk");
const imported = performance.now();
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const client = init("sdk-offline-bench", {
  updateProcessor: integrations.FileDataSourceFactory ? new integrations.FileDataSourceFactory({ paths: [`${dataDir}/launchdarkly.json`] }).getFactory() : undefined,
  sendEvents: false,
  diagnosticOptOut: true,
  logger: quiet,
});
await client.waitForInitialization({ timeout: 10 });
const value = await client.variation("flag-00000", { kind: "user", key: "u" }, false);
const readyMs = performance.now();
client.close();
process.stdout.write(JSON.stringify({ origin: performance.timeOrigin, readyMs, imported, importMs: imported - start, value, done: performance.now(), maxRssKiB: process.resourceUsage().maxRSS }));
process.exit(0);
