/* global process, performance */
// Cold start: import rollgate's build, init() against the local server, read one flag, exit.
const start = performance.now();
const [url, apiKey, dist] = process.argv.slice(2);
const { RollgateClient } = await import(dist);
const imported = performance.now();
const client = new RollgateClient({ apiKey, baseUrl: url, cache: false, refreshInterval: 0 });
await client.init();
const value = client.isEnabled("flag-00000", false);
await client.close();
process.stdout.write(JSON.stringify({ imported, importMs: imported - start, value, done: performance.now(), maxRssKiB: process.resourceUsage().maxRSS }));
