/**
 * Runs the Express example: `npm run server` in one terminal, then
 * `npx tsx examples/express/main.ts` in another, and open http://127.0.0.1:3000/api/feature, or ask
 * as a user (headers: see ../user-from-request.ts):
 * `curl -H "x-user-id: ana" -H "x-user-plan: pro" -H "x-user-country: DE" http://127.0.0.1:3000/api/checkout`.
 *
 * Environment: ROLLGATE_API_KEY, ROLLGATE_BASE_URL (default: the local server of
 * `npm run server`), PORT (default 3000).
 */
import { RollgateClient } from "rollgate";
import { createApp } from "./app";

const rollgate = new RollgateClient({
  apiKey: process.env.ROLLGATE_API_KEY ?? "rg_server_local_dev_key",
  baseUrl: process.env.ROLLGATE_BASE_URL ?? "http://127.0.0.1:8787",
});

// Startup: load the flags before taking traffic. If Rollgate is down this still resolves
// (within initTimeout), serving cached flags or defaults.
await rollgate.init();

const server = createApp({ rollgate }).listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : process.env.PORT;
  console.log(`Express example listening on http://127.0.0.1:${port}`);
});

// Shutdown: stop taking requests, let the ones in flight finish, then close the client.
async function shutdown(signal: string): Promise<void> {
  console.log(`${signal} received, shutting down.`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rollgate.close();
}
process.once("SIGTERM", (signal) => void shutdown(signal));
process.once("SIGINT", (signal) => void shutdown(signal));
