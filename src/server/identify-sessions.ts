import type { EvaluationUser, JsonValue } from "../evaluation/flag-model";

/**
 * The `/identify` sessions of the reference server (PROTOCOL.md §1.4): one attribute map per
 * user id, replaced on every identify, global, in memory and never expiring. Requests that
 * name the user only by `user_id` (including the stream) are evaluated with it.
 */
export class IdentifySessions {
  private readonly attributesById = new Map<string, Readonly<Record<string, JsonValue>>>();

  /**
   * Stores the session for `user.id`, replacing any earlier one: a non-empty `email`
   * becomes attribute `email`, then `attributes` are copied on top (so `attributes.email`
   * wins). Users with an empty id are not stored.
   */
  store(user: EvaluationUser): void {
    if (user.id === "") return;
    // A null prototype keeps an attribute called "__proto__" an ordinary attribute.
    const attributes = Object.create(null) as Record<string, JsonValue>;
    if (user.email) attributes["email"] = user.email;
    for (const [name, value] of Object.entries(user.attributes ?? {})) attributes[name] = value;
    this.attributesById.set(user.id, attributes);
  }

  /** The user to evaluate for a bare `user_id`: the id plus its session attributes, if any. */
  userFor(id: string): EvaluationUser {
    const attributes = this.attributesById.get(id);
    return attributes === undefined ? { id } : { id, attributes };
  }

  clear(): void {
    this.attributesById.clear();
  }
}
