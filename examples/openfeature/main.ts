/**
 * Runs the OpenFeature example: `npm run server` in one terminal, then
 * `npx tsx examples/openfeature/main.ts` in another, and try
 * `curl -H 'x-user-id: u1' -H 'x-user-plan: pro' http://127.0.0.1:3000/api/flags`.
 *
 * Environment: ROLLGATE_API_KEY, ROLLGATE_BASE_URL (default: the local server of
 * `npm run server`), PORT (default 3000).
 */
import { AsyncLocalStorageTransactionContextPropagator, OpenFeature } from "@openfeature/server-sdk";
import { RollgateProvider } from "rollgate/openfeature";
import { createApp } from "./app";

OpenFeature.setTransactionContextPropagator(new AsyncLocalStorageTransactionContextPropagator());

// The provider creates its client from these options and closes it in OpenFeature.close().
const provider = new RollgateProvider({
  apiKey: process.env.ROLLGATE_API_KEY ?? "rg_server_local_dev_key",
  baseUrl: process.env.ROLLGATE_BASE_URL ?? "http://127.0.0.1:8787",
});

// Startup: load the flags before taking traffic. If Rollgate is down and nothing is cached this
// rejects; the service still starts, serving defaults, and the provider turns READY when flags arrive.
await OpenFeature.setProviderAndWait(provider).catch((error: unknown) => console.warn(`Starting without flags: ${String(error)}`));

const server = createApp().listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : process.env.PORT;
  console.log(`OpenFeature example listening on http://127.0.0.1:${port}`);
});

async function shutdown(signal: string): Promise<void> {
  console.log(`${signal} received, shutting down.`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await OpenFeature.close();
}
process.once("SIGTERM", (signal) => void shutdown(signal));
process.once("SIGINT", (signal) => void shutdown(signal));
