/**
 * A Fastify plugin that owns a RollgateClient: created at registration, initialised in
 * `onReady` (before the server takes traffic), closed in `onClose`, and exposed to every route
 * as `fastify.rollgate`.
 */
import type { FastifyInstance } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { RollgateClient, type RollgateOptions } from "rollgate";

declare module "fastify" {
  interface FastifyInstance {
    /** The Rollgate client, ready once the server is. */
    readonly rollgate: RollgateClient;
  }
}

async function rollgate(fastify: FastifyInstance, options: RollgateOptions): Promise<void> {
  const client = new RollgateClient(options);
  fastify.decorate("rollgate", client);
  fastify.addHook("onReady", async () => {
    await client.init();
  });
  fastify.addHook("onClose", async () => {
    await client.close();
  });
}

/**
 * Register with the client's options: `await app.register(rollgatePlugin, { apiKey, baseUrl })`.
 * Wrapped with fastify-plugin so the decorator is visible outside the plugin's scope.
 */
export const rollgatePlugin = fastifyPlugin(rollgate, { name: "rollgate", fastify: "5.x" });
