/* global process, performance */
// Cold start of OpenFeature's server SDK with its InMemoryProvider (flags from a file), one read.
const start = performance.now();
const [, , , dataDir] = process.argv.slice(2);
const { readFileSync } = await import("node:fs");
const { OpenFeature, InMemoryProvider } = await import("@openfeature/server-sdk");
const imported = performance.now();
await OpenFeature.setProviderAndWait(new InMemoryProvider(JSON.parse(readFileSync(`${dataDir}/openfeature.json`, "utf8"))));
const value = await OpenFeature.getClient().getBooleanValue("flag-00000", false);
const readyMs = performance.now();
await OpenFeature.close();
process.stdout.write(JSON.stringify({ origin: performance.timeOrigin, readyMs, imported, importMs: imported - start, value, done: performance.now(), maxRssKiB: process.resourceUsage().maxRSS }));
