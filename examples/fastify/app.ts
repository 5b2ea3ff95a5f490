/**
 * A Fastify service using rollgate through a plugin (`rollgate-plugin.ts`). `main.ts` listens;
 * tests call `buildServer` with their own options.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { rollgatePlugin, type RollgatePluginOptions } from "./rollgate-plugin";

/**
 * The Fastify server. Per request user (`x-user-*` headers, see `../user-from-request.ts`):
 * `GET /api/checkout` and `GET /api/me/flags`. Client-wide: `GET /api/feature` and `GET /health`.
 * The client starts with the server (`ready()` / `listen()`) and closes with it (`close()`).
 *
 * @example
 * const app = await buildServer({ apiKey: process.env.ROLLGATE_API_KEY! });
 * await app.listen({ port: 3000 });
 */
export async function buildServer(rollgateOptions: RollgatePluginOptions): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(rollgatePlugin, rollgateOptions);

  // The request user's flags: targeting by plan, country and id, as the server evaluates it.
  app.get("/api/checkout", { onRequest: app.userFlags }, async ({ flags }) => ({
    variant: flags.getString("checkout-variant", "control"),
    ctaColor: flags.getString("cta-color", "blue"),
    rateLimit: flags.getJson("rate-limit-config", { requests_per_minute: 600, burst: 50 }),
  }));

  // Every flag for the request user, e.g. to bootstrap a browser app.
  app.get("/api/me/flags", { onRequest: app.userFlags }, async ({ flags }) => ({ user: flags.user.id, flags: flags.getAllFlags() }));

  // Client-wide (no user).
  app.get("/api/feature", async () => ({ enabled: app.rollgate.isEnabled("new-feature", false) }));

  app.get("/health", async () => {
    const { circuit, stale, source } = app.rollgate.getStatus();
    return { status: circuit === "closed" && !stale ? "healthy" : "degraded", circuit, flags_source: source };
  });

  return app;
}
