/**
 * Run as its own process by server-faults.test.ts (jest's sandboxed `process` never sees Node's
 * warnings): starts a local server holding every flags response 50 ms, sends it 20 requests at
 * once, and prints their statuses and the process warnings raised meanwhile, as JSON.
 */
import { request } from "undici";
import { silentLogger } from "../../../src/logger/logger";
import { startServer } from "../../../src/server";

const warnings: string[] = [];
process.on("warning", (warning) => warnings.push(`${warning.name}: ${warning.message}`));
const server = await startServer({ logger: silentLogger, heartbeatInterval: 0, flags: [{ key: "feature", enabled: true }] });
server.faults.delay(50, { count: "all" });
const statuses = await Promise.all(
  Array.from({ length: 20 }, async () => {
    const response = await request(`${server.url}/api/v1/sdk/v2/flags`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    await response.body.dump();
    return response.statusCode;
  }),
);
await server.close();
await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
process.stdout.write(JSON.stringify({ statuses, warnings }));
