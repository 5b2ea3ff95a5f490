/**
 * The Rollgate SDK's asyncio example, as a Node script: init, two synchronous flag checks, close.
 *
 * Run: `npm run server` in one terminal, then `npx tsx examples/plain-script.ts`.
 * Environment: ROLLGATE_API_KEY, ROLLGATE_BASE_URL (default: the local server of `npm run server`).
 */
import { RollgateClient } from "rollgate";

async function main(): Promise<void> {
  const client = new RollgateClient({
    apiKey: process.env.ROLLGATE_API_KEY ?? "rg_server_local_dev_key",
    baseUrl: process.env.ROLLGATE_BASE_URL ?? "http://127.0.0.1:8787",
  });

  await client.init();

  // Synchronous flag checks (read from the client's snapshot, no network)
  const enabled = client.isEnabled("my-feature", false);
  const theme = client.getString("theme", "dark");

  console.log(`Feature enabled: ${enabled}`);
  console.log(`Theme: ${theme}`);

  await client.close();
}

await main();
