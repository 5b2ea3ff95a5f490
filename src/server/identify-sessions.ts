import type { EvaluationUser, JsonValue } from "../model/flag-model";
import { DEFAULT_SERVER_OPTIONS } from "./server-options";

interface Session {
  readonly attributes: Readonly<Record<string, JsonValue>>;
  readonly bytes: number;
}

/** The bounds of the sessions (see `ServerOptions.maxSessions`, `maxSessionBytes`). */
export interface SessionBounds {
  readonly maxSessions: number;
  readonly maxBytes: number;
}

/**
 * The `/identify` sessions of the reference server (PROTOCOL.md §1.4): one attribute map per
 * user id, replaced on every identify, global and in memory. Requests that name the user only
 * by `user_id` (including the stream) are evaluated with it.
 *
 * The reference server never forgets a session; this one keeps at most `maxSessions`, whose
 * attributes (counted as their JSON text) add up to at most `maxBytes`, and forgets the least
 * recently stored or used first. A forgotten user is evaluated as a bare id, as one that never
 * identified.
 */
export class IdentifySessions {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly sessionsById = new Map<string, Session>();
  private bytes = 0;

  constructor(
    private readonly bounds: SessionBounds = {
      maxSessions: DEFAULT_SERVER_OPTIONS.maxSessions,
      maxBytes: DEFAULT_SERVER_OPTIONS.maxSessionBytes,
    },
  ) {}

  /** Sessions held. */
  get size(): number {
    return this.sessionsById.size;
  }

  /**
   * Stores the session for `user.id`, replacing any earlier one: a non-empty `email`
   * becomes attribute `email`, then `attributes` are copied on top (so `attributes.email`
   * wins). Users with an empty id are not stored, nor one larger than all of `maxBytes` (its
   * earlier session is forgotten, so it is evaluated as a bare id rather than with stale data).
   */
  store(user: EvaluationUser): void {
    if (user.id === "") return;
    // A null prototype keeps an attribute called "__proto__" an ordinary attribute.
    const attributes = Object.create(null) as Record<string, JsonValue>;
    if (user.email) attributes["email"] = user.email;
    for (const [name, value] of Object.entries(user.attributes ?? {})) attributes[name] = value;
    this.forget(user.id);
    const bytes = user.id.length + JSON.stringify(attributes).length;
    if (bytes > this.bounds.maxBytes) return;
    this.sessionsById.set(user.id, { attributes, bytes });
    this.bytes += bytes;
    for (const [id] of this.sessionsById) {
      if (this.sessionsById.size <= this.bounds.maxSessions && this.bytes <= this.bounds.maxBytes) break;
      this.forget(id);
    }
  }

  /** The user to evaluate for a bare `user_id`: the id plus its session attributes, if any. */
  userFor(id: string): EvaluationUser {
    const session = this.sessionsById.get(id);
    if (session === undefined) return { id };
    this.sessionsById.delete(id);
    this.sessionsById.set(id, session);
    return { id, attributes: session.attributes };
  }

  clear(): void {
    this.sessionsById.clear();
    this.bytes = 0;
  }

  private forget(id: string): void {
    const session = this.sessionsById.get(id);
    if (session === undefined) return;
    this.sessionsById.delete(id);
    this.bytes -= session.bytes;
  }
}
