/**
 * An Express service using rollgate: the routes. `main.ts` creates the client, calls `init()`
 * before listening and `close()` on shutdown; tests call `createApp` with their own client.
 */
import express, { type Express } from "express";
import type { RollgateClient } from "rollgate";

export interface AppDependencies {
  /** An initialised client; the app only reads from it. */
  readonly rollgate: RollgateClient;
}

/**
 * The Express app: `GET /api/feature` and `GET /health`.
 *
 * @example
 * const app = createApp({ rollgate });
 * app.listen(3000);
 */
export function createApp({ rollgate }: AppDependencies): Express {
  const app = express();

  app.get("/api/feature", (_request, response) => {
    // Synchronous and never throws: the default applies when Rollgate is unreachable.
    const enabled = rollgate.isEnabled("new-feature", false);
    response.json({ enabled });
  });

  app.get("/health", (_request, response) => {
    const { circuit, stale, source } = rollgate.getStatus();
    // Degraded, not down: the service still answers, with the last known (or default) flags.
    response.json({
      status: circuit === "closed" && !stale ? "healthy" : "degraded",
      circuit,
      flags_source: source,
    });
  });

  return app;
}
