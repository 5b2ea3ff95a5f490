/**
 * An Express service that reads its flags through OpenFeature, with rollgate as the provider.
 * Each request's user becomes OpenFeature's transaction context (AsyncLocalStorage), so handlers
 * ask for flags without passing a context around, and every request is evaluated for its own user.
 * `main.ts` registers the provider; tests call `createApp` after registering their own.
 */
import { OpenFeature, type EvaluationContext } from "@openfeature/server-sdk";
import express, { type Express, type Request } from "express";

/**
 * The request's user as an OpenFeature evaluation context. A real service reads its session or
 * token here; the example takes the user from headers.
 */
export function contextFor(request: Request): EvaluationContext {
  const id = request.header("x-user-id");
  if (id === undefined) return {};
  const context: EvaluationContext = { targetingKey: id };
  const email = request.header("x-user-email");
  if (email !== undefined) context.email = email;
  const plan = request.header("x-user-plan");
  if (plan !== undefined) context.plan = plan;
  const country = request.header("x-user-country");
  if (country !== undefined) context.country = country;
  return context;
}

/** The `rate-limit-config` flag's value. */
export type RateLimit = { requests_per_minute: number; burst: number };

/** The answer of `GET /api/flags`: what this request's user gets. */
export interface FlagsAnswer {
  readonly myFeature: boolean;
  readonly theme: string;
  readonly ctaColor: string;
  readonly resultsPerPage: number;
  readonly rateLimit: RateLimit;
}

/** What the handlers fall back to when a flag cannot be evaluated. */
export const FLAG_DEFAULTS: FlagsAnswer = {
  myFeature: false,
  theme: "light",
  ctaColor: "blue",
  resultsPerPage: 20,
  rateLimit: { requests_per_minute: 60, burst: 10 },
};

/**
 * The Express app: `GET /api/flags` (the request user's flags) and `GET /health`.
 *
 * @example
 * OpenFeature.setTransactionContextPropagator(new AsyncLocalStorageTransactionContextPropagator());
 * await OpenFeature.setProviderAndWait(new RollgateProvider(rollgate));
 * createApp().listen(3000);
 */
export function createApp(): Express {
  const app = express();
  const flags = OpenFeature.getClient();

  // Every handler after this runs inside the request's transaction context.
  app.use((request, _response, next) => OpenFeature.setTransactionContext(contextFor(request), () => next()));

  app.get("/api/flags", async (_request, response) => {
    // No context argument: OpenFeature merges the request's transaction context in.
    const [myFeature, theme, ctaColor, resultsPerPage, rateLimit] = await Promise.all([
      flags.getBooleanValue("my-feature", FLAG_DEFAULTS.myFeature),
      flags.getStringValue("theme", FLAG_DEFAULTS.theme),
      flags.getStringValue("cta-color", FLAG_DEFAULTS.ctaColor),
      flags.getNumberValue("results-per-page", FLAG_DEFAULTS.resultsPerPage),
      flags.getObjectValue<RateLimit>("rate-limit-config", FLAG_DEFAULTS.rateLimit),
    ]);
    const answer: FlagsAnswer = { myFeature, theme, ctaColor, resultsPerPage, rateLimit };
    response.json(answer);
  });

  app.get("/health", (_request, response) => {
    // OpenFeature's view of the provider: READY, STALE (serving last flags), ERROR or FATAL.
    response.json({ provider: flags.providerStatus });
  });

  return app;
}
