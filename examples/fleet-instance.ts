/**
 * One instance of a fleet sharing flags through Redis (README, "Running a fleet"): it asks for a
 * few users' flags and prints where each came from. Run it twice: the first instance asks
 * Rollgate (`server`), the second reads what the first wrote to Redis (`cache`), with no request.
 *
 * Run: `redis-server --port 6379 --save "" --appendonly no` and `npm run server` in two
 * terminals, then `npx tsx examples/fleet-instance.ts` twice.
 * Environment: ROLLGATE_API_KEY, ROLLGATE_BASE_URL (default: the local server of `npm run
 * server`), REDIS_URL (default: redis://127.0.0.1:6379).
 */
import { RollgateClient } from "rollgate";
import { RedisCacheStore } from "rollgate/redis";

const client = new RollgateClient({
  apiKey: process.env.ROLLGATE_API_KEY ?? "rg_server_local_dev_key",
  baseUrl: process.env.ROLLGATE_BASE_URL ?? "http://127.0.0.1:8787",
  // The one setting a fleet needs: a shared store. Its prefix keeps environments apart.
  cache: { store: new RedisCacheStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", prefix: "rollgate:dev:" }) },
});

await client.init();
for (const user of [
  { id: "user-123", attributes: { plan: "pro" } },
  { id: "user-456", attributes: { plan: "free" } },
]) {
  const flags = await client.forUser(user);
  console.log(`${user.id}: theme=${flags.getString("theme", "light")} (from ${flags.source}${flags.stale ? ", stale" : ""})`);
}
// Also closes the Redis connection: the process exits by itself.
await client.close();
