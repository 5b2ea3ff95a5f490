import type { EvaluationUser, JsonValue } from "../model/flag-model";

/**
 * The attributes conditions can see for a user (PROTOCOL.md §3.5):
 *
 * - every entry of `user.attributes`;
 * - `email`, only if one was supplied: `attributes.email` wins over the top-level `email`, and an
 *   empty top-level `email` counts as not supplied (the reference server cannot tell it from a
 *   missing one);
 * - `id`, always, forced to the user id ("" for anonymous users), whatever `attributes.id` says.
 *
 * @example
 * userAttributes({ id: "u1", email: "a@b.c", attributes: { plan: "pro" } });
 * // Map { "email" => "a@b.c", "plan" => "pro", "id" => "u1" }
 */
export function userAttributes(user: EvaluationUser): ReadonlyMap<string, JsonValue> {
  const attributes = new Map<string, JsonValue>();
  if (user.email !== undefined && user.email !== "") attributes.set("email", user.email);
  const supplied = user.attributes;
  if (supplied !== undefined && supplied !== null) {
    for (const key of Object.keys(supplied)) attributes.set(key, supplied[key] as JsonValue);
  }
  attributes.set("id", user.id);
  return attributes;
}
