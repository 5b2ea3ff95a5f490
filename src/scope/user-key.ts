import type { RollgateUser } from "../model/rollgate-user";

/**
 * The key of a user's scope: everything that affects evaluation (id, email, attributes), encoded
 * unambiguously, so two users that differ in any of them never share flags. Attributes are keyed
 * in the order given: the same attributes in another order make another (equally correct) scope.
 *
 * @throws TypeError for attributes JSON cannot encode (a BigInt, a cycle).
 */
export function userKey(user: RollgateUser): string {
  return JSON.stringify([user.id, user.email ?? null, user.attributes ?? null]);
}
