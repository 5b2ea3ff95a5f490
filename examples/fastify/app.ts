/**
 * A Fastify service using rollgate through a plugin (`rollgate-plugin.ts`). `main.ts` listens;
 * tests call `buildServer` with their own options.
 */
import Fastify, { type FastifyInstance } from "fastify";
import type { RollgateOptions } from "rollgate";
import { rollgatePlugin } from "./rollgate-plugin";

/**
 * The Fastify server: `GET /api/feature` and `GET /health`. The client starts with the server
 * (`ready()` / `listen()`) and closes with it (`close()`).
 *
 * @example
 * const app = await buildServer({ apiKey: process.env.ROLLGATE_API_KEY! });
 * await app.listen({ port: 3000 });
 */
export async function buildServer(rollgateOptions: RollgateOptions): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(rollgatePlugin, rollgateOptions);

  app.get("/api/feature", async () => ({ enabled: app.rollgate.isEnabled("new-feature", false) }));

  app.get("/health", async () => {
    const { circuit, stale, source } = app.rollgate.getStatus();
    return { status: circuit === "closed" && !stale ? "healthy" : "degraded", circuit, flags_source: source };
  });

  return app;
}
