/* global process, performance */
// Cold start of unleash-client bootstrapped from a file (metrics off), one read.
const start = performance.now();
const [url, , , dataDir] = process.argv.slice(2);
const { Unleash, InMemStorageProvider } = await import("unleash-client");
const imported = performance.now();
const client = new Unleash({
  url: `${url}/unleash`,
  appName: "rollgate-bench",
  disableMetrics: true,
  refreshInterval: 0,
  storageProvider: new InMemStorageProvider(),
  bootstrap: { filePath: `${dataDir}/unleash.json` },
});
client.on("error", () => {});
client.on("warn", () => {});
await new Promise((resolve) => client.once("ready", resolve));
const value = client.isEnabled("flag-00000");
const readyMs = performance.now();
client.destroy();
process.stdout.write(JSON.stringify({ origin: performance.timeOrigin, readyMs, imported, importMs: imported - start, value, done: performance.now(), maxRssKiB: process.resourceUsage().maxRSS }));
process.exit(0);
