import type { JsonValue } from "rollgate";
import type { EvaluationUser, RollgateServer } from "rollgate/server";
import { evaluateFlag } from "../../../src/evaluation";

/** A user of the framework examples, as a test sends it in the `x-user-*` headers. */
export interface RequestUser {
  readonly id: string;
  readonly plan?: string;
  readonly country?: string;
  readonly appVersion?: string;
}

/** The headers that carry `user` to the examples (examples/user-from-request.ts). */
export function userHeaders(user: RequestUser): Record<string, string> {
  return {
    "x-user-id": user.id,
    ...(user.plan === undefined ? {} : { "x-user-plan": user.plan }),
    ...(user.country === undefined ? {} : { "x-user-country": user.country }),
    ...(user.appVersion === undefined ? {} : { "x-app-version": user.appVersion }),
  };
}

/**
 * The user the server should evaluate for, built here independently of the examples' own
 * header parsing, so that a header it drops shows up as a wrong answer.
 */
export function evaluationUser(user: RequestUser): EvaluationUser {
  const attributes: Record<string, JsonValue> = {};
  if (user.plan !== undefined) attributes["plan"] = user.plan;
  if (user.country !== undefined) attributes["country"] = user.country;
  if (user.appVersion !== undefined) attributes["app_version"] = user.appVersion;
  return { id: user.id, attributes };
}

/** Every flag's value for `user`, by the server's own evaluation engine on its current flags. */
export function expectedFlags(server: RollgateServer, user: RequestUser): Record<string, JsonValue> {
  const { flags, segments } = server.getFlags();
  const evaluated = evaluationUser(user);
  return Object.fromEntries(flags.map((flag) => [flag.key, evaluateFlag(flag, evaluated, segments).value]));
}

/** What `GET /api/checkout` answers for `user`: the server's values through the getters' defaults. */
export function expectedCheckout(server: RollgateServer, user: RequestUser): Record<string, JsonValue> {
  const flags = expectedFlags(server, user);
  const string = (key: string, fallback: string) => (typeof flags[key] === "string" ? flags[key] : fallback);
  const rateLimit = flags["rate-limit-config"];
  return {
    variant: string("checkout-variant", "control"),
    ctaColor: string("cta-color", "blue"),
    rateLimit: typeof rateLimit === "object" && rateLimit !== null ? rateLimit : { requests_per_minute: 600, burst: 50 },
  };
}

/** GETs `url` as `user` and returns the status and parsed JSON body. */
export async function getJsonAs(url: string, user: RequestUser | undefined): Promise<{ readonly status: number; readonly body: unknown }> {
  const response = await fetch(url, user === undefined ? {} : { headers: userHeaders(user) });
  return { status: response.status, body: await response.json() };
}

/** How many flag requests (v1 or v2) the server received for each user id (`user_id` query). */
export function flagRequestsByUser(server: RollgateServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of server.received.requests) {
    if (request.path !== "/api/v1/sdk/v2/flags" && request.path !== "/api/v1/sdk/flags") continue;
    const id = request.query["user_id"] ?? "";
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Users that differ in plan, country and (for rollouts) id, including `user-123`, a target of my-feature. */
export const SAMPLE_USERS: readonly RequestUser[] = [
  { id: "ana", plan: "pro", country: "DE", appVersion: "2.1.0" },
  { id: "bo", plan: "free", country: "JP" },
  { id: "chen", plan: "enterprise", country: "US", appVersion: "1.9.9" },
  { id: "user-123", plan: "pro", country: "FR" },
];
