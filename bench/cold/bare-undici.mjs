/* global process, performance */
// The floor of any client built on undici: import undici, one GET of the v2 flags, JSON.parse, exit.
const start = performance.now();
const [url, apiKey] = process.argv.slice(2);
const { request } = await import("undici");
const imported = performance.now();
const response = await request(`${url}/api/v1/sdk/v2/flags`, { headers: { authorization: `Bearer ${apiKey}` } });
const body = JSON.parse(await response.body.text());
const value = body.flags["flag-00000"].value === true;
const done = performance.now();
const readyMs = done;
process.stdout.write(JSON.stringify({ origin: performance.timeOrigin, readyMs, startMs: start, importMs: imported - start, initMs: done - imported, value, done, maxRssKiB: process.resourceUsage().maxRSS }));
