/**
 * Runs the Fastify example: `npm run server` in one terminal, then
 * `npx tsx examples/fastify/main.ts` in another, and open http://127.0.0.1:3000/api/feature, or ask
 * as a user (headers: see ../user-from-request.ts):
 * `curl -H "x-user-id: ana" -H "x-user-plan: pro" -H "x-user-country: DE" http://127.0.0.1:3000/api/checkout`.
 *
 * Environment: ROLLGATE_API_KEY, ROLLGATE_BASE_URL (default: the local server of
 * `npm run server`), PORT (default 3000).
 */
import { buildServer } from "./app";

const app = await buildServer({
  apiKey: process.env.ROLLGATE_API_KEY ?? "rg_server_local_dev_key",
  baseUrl: process.env.ROLLGATE_BASE_URL ?? "http://127.0.0.1:8787",
});

// listen() runs the onReady hooks first, so the flags are loaded before the first request.
const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
console.log(`Fastify example listening on ${url}`);

// close() stops the server and runs the onClose hooks, which close the client.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    console.log(`${signal} received, shutting down.`);
    void app.close();
  });
}
