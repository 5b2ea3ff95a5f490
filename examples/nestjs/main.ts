/**
 * Runs the NestJS example: `npm run server` in one terminal, then
 * `npx tsx examples/nestjs/main.ts` in another, and open http://127.0.0.1:3000/api/feature or
 * /flags/new-feature/stream (live, as SSE), or ask as a user (headers: see ../user-from-request.ts):
 * `curl -H "x-user-id: ana" -H "x-user-plan: pro" -H "x-user-country: DE" -H "x-app-version: 2.1.0" http://127.0.0.1:3000/beta`
 * (200: beta-dashboard is on for ana; 403 for a user it is off for) or /api/me/flags.
 *
 * Environment: ROLLGATE_API_KEY, ROLLGATE_BASE_URL (default: the local server of
 * `npm run server`), PORT (default 3000).
 */
import "reflect-metadata";
import { createNestApp } from "./create-nest-app";

const app = await createNestApp({
  apiKey: process.env.ROLLGATE_API_KEY ?? "rg_server_local_dev_key",
  baseUrl: process.env.ROLLGATE_BASE_URL ?? "http://127.0.0.1:8787",
  // Push changes to /flags/:key/stream as soon as they happen.
  enableStreaming: true,
});
await app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
console.log(`NestJS example listening on ${await app.getUrl()}`);

// app.close() runs onModuleDestroy (which closes the client), then stops the HTTP server.
// (app.enableShutdownHooks() does the same, then re-raises the signal to end the process.)
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    console.log(`${signal} received, shutting down.`);
    void app.close();
  });
}
