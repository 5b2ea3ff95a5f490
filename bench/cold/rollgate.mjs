/* global process, performance */
// Cold start: import rollgate's build, init() against the local server, read one flag, exit.
// Reports each step (ms): script start (Node's own boot), import, constructor + init, read + close,
// and when the flag was read (ms since the process started).
const start = performance.now();
const [url, apiKey, dist] = process.argv.slice(2);
const { RollgateClient } = await import(dist);
const imported = performance.now();
const client = new RollgateClient({ apiKey, baseUrl: url, cache: false, refreshInterval: 0 });
await client.init();
const initialised = performance.now();
const value = client.isEnabled("flag-00000", false);
const readyMs = performance.now();
await client.close();
const done = performance.now();
process.stdout.write(
  JSON.stringify({ origin: performance.timeOrigin, readyMs, startMs: start, importMs: imported - start, initMs: initialised - imported, closeMs: done - initialised, value, done, maxRssKiB: process.resourceUsage().maxRSS }),
);
