import type { RollgateUser } from "../model/rollgate-user";
import { isAcceptedUser } from "./validate-user";
import { isSameUser } from "./is-same-user";
import { userKey } from "./user-key";
import type { UserFlags } from "./user-flags";
import type { UserScope } from "./user-scope";

/** One per-request user kept in memory. */
export interface UserEntry {
  /** The user's `userKey`. */
  readonly key: string;
  readonly scope: UserScope;
  readonly view: UserFlags;
  /** The view, already resolved: what a fresh hit returns, with no allocation. */
  readonly ready: Promise<UserFlags>;
  /** The bounded wait of the fetch in flight, shared by concurrent callers. */
  pending: Promise<UserFlags> | undefined;
  /** The fetch in flight (counted against `users.maxPending` until it settles). */
  fetching: Promise<unknown> | undefined;
  lastUsed: number;
}

/** How precisely the LRU orders users, in ms. */
const LRU_RESOLUTION_MS = 1_000;

/**
 * The per-request users in memory, least recently used first, keyed by `userKey` (a user's id,
 * email and attributes): finding a user, adding one, and dropping the idle and the least recently
 * used. A user is found by key only if `validateUser` would accept it, so that whether a user is
 * accepted never depends on what is cached (JSON, the key, cannot tell a `Date` from its ISO
 * string or `NaN` from `null`).
 *
 * A request's user is usually one already cached, asked for with a new object each time: it is
 * found through its id (`Map.get` on a string whose hash V8 keeps) and one comparison with the
 * cached user ({@link isSameUser}), with no key built and nothing allocated for a flat user.
 */
export class UserEntries {
  private readonly byKey = new Map<string, UserEntry>();
  /** Per id, the entry last found or added for it (a user whose attributes vary has several). */
  private readonly byId = new Map<string, UserEntry>();

  get size(): number {
    return this.byKey.size;
  }

  /**
   * The entry of `user`, marked used at `now`; else the key it would have ("" when the user must
   * be validated first: `validateUser` may refuse it, or return a copy to key).
   */
  find(user: RollgateUser, now: number): UserEntry | string {
    let entry: UserEntry | undefined;
    let key = "";
    try {
      entry = this.byId.get(user.id);
      if (entry === undefined || !isSameUser(user, entry.scope.user!)) {
        entry = undefined;
        if (isAcceptedUser(user)) key = userKey(user);
      }
    } catch {
      // A getter or Proxy trap that throws: validateUser names the problem.
      return "";
    }
    if (entry === undefined) {
      entry = this.byKey.get(key);
      if (entry === undefined) return key;
      this.byId.set(entry.scope.user!.id, entry);
    }
    if (entry.lastUsed < now - LRU_RESOLUTION_MS) {
      // Most recently used last. Moved at most once per LRU_RESOLUTION_MS: a user asked for on
      // every request costs no map churn (the order is least recently used to the second).
      this.byKey.delete(entry.key);
      this.byKey.set(entry.key, entry);
      entry.lastUsed = now;
    }
    return entry;
  }

  /** Adds the entry of a user `validateUser` returned. */
  add(entry: UserEntry): void {
    this.byKey.set(entry.key, entry);
    this.byId.set(entry.scope.user!.id, entry);
  }

  values(): IterableIterator<UserEntry> {
    return this.byKey.values();
  }

  /**
   * Drops (and closes) users idle since `idleBefore`, then the least recently used until at most
   * `max` remain; never one with live `flag$` subscribers. Returns how many are left.
   */
  evict(max: number, idleBefore: number): number {
    for (const [key, entry] of this.byKey) {
      const idle = entry.lastUsed <= idleBefore;
      if (!idle && this.byKey.size <= max) break;
      if (entry.scope.store.watchedKeys > 0) continue;
      this.byKey.delete(key);
      const { id } = entry.scope.user!;
      if (this.byId.get(id) === entry) this.byId.delete(id);
      entry.scope.close();
    }
    return this.byKey.size;
  }
}
