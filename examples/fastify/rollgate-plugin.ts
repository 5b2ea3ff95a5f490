/**
 * A Fastify plugin that owns a RollgateClient: created at registration, initialised in
 * `onReady` (before the server takes traffic), closed in `onClose`, and exposed to every route
 * as `fastify.rollgate`. Per request: `fastify.userFlags`, an `onRequest` hook for the routes that
 * evaluate for the request's user, puts that user's flags on `request.flags`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { RollgateClient, RollgateConfigError, type RollgateOptions, type RollgateUser, type UserFlags } from "rollgate";
import { userFromRequest } from "../user-from-request";

declare module "fastify" {
  interface FastifyInstance {
    /** The Rollgate client, ready once the server is. */
    readonly rollgate: RollgateClient;
    /**
     * An `onRequest` hook: sets `request.flags` to the request user's flags, or answers 401 for a
     * request without a user. Use it per route: `{ onRequest: fastify.userFlags }`.
     */
    readonly userFlags: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    /** The request user's flags: set by `fastify.userFlags` on the routes that use it. */
    flags: UserFlags;
  }
}

/** The plugin's options: the client's, plus how to tell who a request is for. */
export interface RollgatePluginOptions extends RollgateOptions {
  /**
   * Who the request is for; `undefined` for an anonymous request, which `userFlags` answers 401.
   * @default userFromRequest (the `x-user-*` headers)
   */
  readonly userOf?: (request: FastifyRequest) => RollgateUser | undefined;
}

async function rollgate(fastify: FastifyInstance, { userOf = userFromRequest, ...options }: RollgatePluginOptions): Promise<void> {
  const client = new RollgateClient(options);
  fastify.decorate("rollgate", client);
  // Declared up front, so every request object has the same shape (Fastify's advice).
  fastify.decorateRequest("flags");
  fastify.decorate("userFlags", async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const user = userOf(request);
    if (user === undefined) {
      await reply.code(401).send({ error: "Unknown user: send the x-user-id header." });
      return;
    }
    try {
      // A recent user is answered from memory; a new one waits for one fetch, shared by
      // concurrent requests for that user and bounded by the client's timeout.
      request.flags = await client.forUser(user);
    } catch (error) {
      // forUser rejects only for a user it cannot send (e.g. attributes too large), or after close().
      if (!(error instanceof RollgateConfigError)) throw error;
      await reply.code(400).send({ error: error.message });
    }
  });
  fastify.addHook("onReady", async () => {
    await client.init();
  });
  fastify.addHook("onClose", async () => {
    await client.close();
  });
}

/**
 * Register with the client's options: `await app.register(rollgatePlugin, { apiKey, baseUrl })`.
 * Wrapped with fastify-plugin so the decorators are visible outside the plugin's scope.
 */
export const rollgatePlugin = fastifyPlugin(rollgate, { name: "rollgate", fastify: "5.x" });
