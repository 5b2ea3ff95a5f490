/* global process, performance, Buffer */
// Cold start limit: one http.get of the v2 flags and JSON.parse, nothing else.
const start = performance.now();
const [url, apiKey] = process.argv.slice(2);
const http = await import("node:http");
const imported = performance.now();
const body = await new Promise((resolve, reject) => {
  http.get(`${url}/api/v1/sdk/v2/flags`, { headers: { authorization: `Bearer ${apiKey}` } }, (response) => {
    const chunks = [];
    response.on("data", (chunk) => chunks.push(chunk));
    response.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
    response.on("error", reject);
  }).on("error", reject);
});
const value = body.flags["flag-00000"].value === true;
const readyMs = performance.now();
process.stdout.write(JSON.stringify({ origin: performance.timeOrigin, readyMs, startMs: start, imported, importMs: imported - start, value, done: performance.now(), maxRssKiB: process.resourceUsage().maxRSS }));
