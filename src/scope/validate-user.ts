import { RollgateConfigError } from "../errors";
import { IN_ENGLISH } from "../options/in-english";
import { isJsonValue } from "../options/json-value-schema";
import { userSchema } from "../options/user-schema";
import { encodeFrozenUserContext } from "../transport/user-context-header";
import type { RollgateUser } from "../model/rollgate-user";

/**
 * The largest `X-User-Context` header rollgate sends, in bytes. Servers commonly refuse request
 * headers over 8–16 KiB in total (Node's default limit is 16 KiB, answered with 431), and a user
 * the server cannot read would be evaluated as nobody: refuse it up front instead.
 */
export const MAX_USER_CONTEXT_BYTES = 8 * 1024;

/**
 * Checks a user given to `identify()` or `forUser()` and returns a private, frozen copy, so later
 * mutation of the caller's object cannot change what the client evaluates for.
 *
 * @throws RollgateConfigError naming the field that is wrong, or saying the user is too large to send.
 */
export function validateUser(user: unknown): RollgateUser {
  let data = acceptedUser(user);
  if (data === undefined) {
    const parsed = userSchema.safeParse(user, IN_ENGLISH);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = ["user", ...issue.path.map(String)].join(".");
      throw new RollgateConfigError(path, `Invalid ${path}: ${issue.message}. A user is { id: "non-empty string", email?, attributes? }.`);
    }
    data = parsed.data;
  }
  const copy = frozenCopy(data) as RollgateUser;
  const size = encodeFrozenUserContext(copy).length;
  if (size > MAX_USER_CONTEXT_BYTES) {
    throw new RollgateConfigError(
      "user.attributes",
      `The user is ${size} bytes once encoded for the X-User-Context header, over the ${MAX_USER_CONTEXT_BYTES}-byte limit servers accept; send only the attributes your targeting rules use.`,
    );
  }
  return copy;
}

/**
 * What `userSchema` outputs for `user` when it accepts it (its keys `id`, `email`, `attributes`,
 * those present, in that order; other keys dropped), checked by hand; `undefined` when the schema
 * may reject it, which then runs to name the issue. The same acceptance (a property test holds it
 * to the schema) without the schema's per-call cost on every identify() and new `forUser` user.
 */
function acceptedUser(user: unknown): Record<string, unknown> | undefined {
  if (!isAcceptedUser(user)) return undefined;
  const record = user as Record<string, unknown>;
  const { id, email, attributes } = record;
  const data: Record<string, unknown> = { id };
  if ("email" in record) data["email"] = email;
  if ("attributes" in record) data["attributes"] = attributes;
  return data;
}

/**
 * Whether {@link validateUser} accepts `user`'s shape (the size limit aside), with no allocation:
 * what a cache keyed by the user's JSON must ask before a hit, because JSON cannot tell a `Date`
 * from its ISO string, `NaN` from `null`, or an `undefined` attribute from none, and the same input
 * must get the same answer whatever is cached.
 *
 * @example
 * isAcceptedUser({ id: "u1", attributes: { score: null } }); // true
 * isAcceptedUser({ id: "u1", attributes: { score: Number.NaN } }); // false
 */
export function isAcceptedUser(user: unknown): boolean {
  if (typeof user !== "object" || user === null || Array.isArray(user)) return false;
  const { id, email, attributes } = user as Record<string, unknown>;
  if (typeof id !== "string" || id.length === 0) return false;
  if (email !== undefined && typeof email !== "string") return false;
  return attributes === undefined || (typeof attributes === "object" && attributes !== null && !Array.isArray(attributes) && isJsonValue(attributes));
}

/**
 * A deeply frozen copy of validated user data (JSON values, at most 64 levels deep, so the
 * recursion is bounded), made in one pass: what `structuredClone` then a freezing walk did, at a
 * fraction of the cost on every identify() and new `forUser` user. Own keys stay data, so an
 * attribute named `__proto__` is kept as one.
 */
function frozenCopy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const child = frozenCopy((value as Record<string, unknown>)[key]);
    if (key === "__proto__") Object.defineProperty(copy, key, { value: child, enumerable: true, writable: true, configurable: true });
    else copy[key] = child;
  }
  return Object.freeze(copy);
}
