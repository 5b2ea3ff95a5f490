/**
 * How the framework examples know who a request is for. A stand-in for your authentication: a
 * real service takes the user from its session or verified token, never from headers a client
 * can set. The examples read them from headers so that you can try them with curl:
 *
 *   curl -H "x-user-id: ana" -H "x-user-plan: pro" -H "x-user-country: DE" http://127.0.0.1:3000/api/me/flags
 */
import type { IncomingHttpHeaders } from "node:http";
import type { JsonValue, RollgateUser } from "rollgate";

/** Request header → the user attribute the targeting rules of examples/flags.json read. */
const ATTRIBUTE_HEADERS = [
  ["x-user-plan", "plan"],
  ["x-user-country", "country"],
  ["x-app-version", "app_version"],
] as const;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}

/**
 * The request's user: `x-user-id` (required), `x-user-email`, and the attributes `plan`
 * (`x-user-plan`), `country` (`x-user-country`) and `app_version` (`x-app-version`). Returns
 * `undefined` for a request without `x-user-id`: an anonymous request has no user to evaluate for.
 *
 * The attributes are always built in the same order, so that one user is always one cached entry
 * of `client.forUser` (its key is the whole user, attributes in the order given).
 *
 * @example
 * userFromRequest({ headers: { "x-user-id": "ana", "x-user-plan": "pro" } });
 * // { id: "ana", attributes: { plan: "pro" } }
 */
export function userFromRequest(request: { readonly headers: IncomingHttpHeaders }): RollgateUser | undefined {
  const { headers } = request;
  const id = header(headers, "x-user-id");
  if (id === undefined) return undefined;
  const email = header(headers, "x-user-email");
  const attributes: Record<string, JsonValue> = {};
  for (const [name, attribute] of ATTRIBUTE_HEADERS) {
    const value = header(headers, name);
    if (value !== undefined) attributes[attribute] = value;
  }
  return {
    id,
    ...(email === undefined ? {} : { email }),
    ...(Object.keys(attributes).length === 0 ? {} : { attributes }),
  };
}
