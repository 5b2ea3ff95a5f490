/**
 * An Express service using rollgate: the routes. `main.ts` creates the client, calls `init()`
 * before listening and `close()` on shutdown; tests call `createApp` with their own client.
 */
import express, { type Express } from "express";
import type { RollgateClient } from "rollgate";
import { userFlags } from "./user-flags-middleware";

export interface AppDependencies {
  /** An initialised client; the app only reads from it. */
  readonly rollgate: RollgateClient;
}

/**
 * The Express app. Per request user (`x-user-*` headers, see `../user-from-request.ts`):
 * `GET /api/checkout` and `GET /api/me/flags`. Client-wide: `GET /api/feature` and `GET /health`.
 *
 * @example
 * const app = createApp({ rollgate });
 * app.listen(3000);
 */
export function createApp({ rollgate }: AppDependencies): Express {
  const app = express();
  const withFlags = userFlags(rollgate);

  // The request user's flags: targeting by plan, country and id, as the server evaluates it.
  app.get("/api/checkout", withFlags, (request, response) => {
    const { flags } = request;
    response.json({
      variant: flags.getString("checkout-variant", "control"),
      ctaColor: flags.getString("cta-color", "blue"),
      rateLimit: flags.getJson("rate-limit-config", { requests_per_minute: 600, burst: 50 }),
    });
  });

  // Every flag for the request user, e.g. to bootstrap a browser app.
  app.get("/api/me/flags", withFlags, (request, response) => {
    response.json({ user: request.flags.user.id, flags: request.flags.getAllFlags() });
  });

  app.get("/api/feature", (_request, response) => {
    // Client-wide (no user): synchronous and never throws; the default applies when Rollgate is unreachable.
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
