/* global process, performance */
// One module's import time in a fresh process: `node import-one.mjs <specifier>`.
const specifier = process.argv[6];
const start = performance.now();
await import(specifier);
const imported = performance.now();
process.stdout.write(JSON.stringify({ imported, importMs: imported - start, done: imported, maxRssKiB: process.resourceUsage().maxRSS }));
