import { RollgateConfigError } from "../errors";
import { userSchema } from "../options/user-schema";
import type { RollgateUser } from "./rollgate-user";

/**
 * Checks a user given to `identify()` and returns a private copy, so later mutation of the
 * caller's object cannot change what the client evaluates for.
 *
 * @throws RollgateConfigError naming the field that is wrong.
 */
export function validateUser(user: unknown): RollgateUser {
  const parsed = userSchema.safeParse(user);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = ["user", ...issue.path.map(String)].join(".");
    throw new RollgateConfigError(path, `Invalid ${path}: ${issue.message}. identify() needs { id: "non-empty string", email?, attributes? }.`);
  }
  return structuredClone(parsed.data) as RollgateUser;
}
