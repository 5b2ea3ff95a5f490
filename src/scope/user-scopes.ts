import type { SchedulerLike, Subscription } from "rxjs";
import type { ClientCache } from "./client-cache";
import type { RollgateUser } from "../model/rollgate-user";
import { validateUser } from "./validate-user";
import type { TrackEvent } from "../events/track-event";
import type { Logger } from "../logger/logger";
import type { EvaluationHooks } from "./evaluation-hooks";
import type { ResolvedUsersOptions } from "./users-options";
import type { UsersStatus } from "../model/rollgate-status";
import { PacedRefresh } from "./paced-refresh";
import { UserAdmission } from "./user-admission";
import { judgeFreshness, type FreshnessBounds } from "./flags-freshness";
import { userKey } from "./user-key";
import { UserFlags } from "./user-flags";
import { UserEntries, type UserEntry } from "./user-entries";
import { SharedStoreRead } from "./shared-store-read";
import { UserScope, type ScopeReporter, type UserScopeDeps } from "./user-scope";

export interface UserScopesDeps {
  readonly users: ResolvedUsersOptions;
  /**
   * Seconds a user's unchanged flags stay fresh, now: the default user's polling interval
   * (`refreshInterval`, or the stream's verification interval while it is open, since then changes
   * are announced); 0: until a change is announced or `refresh()` is called.
   */
  readonly freshFor: () => number;
  /** Seconds: the longest a `forUser` call waits for the server. */
  readonly timeout: number;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  /** The client's persistent cache; used for these users only with `users.persist`. */
  readonly cache: ClientCache | undefined;
  /** What every scope shares: transport, retries, breaker, clock. */
  readonly shared: Omit<UserScopeDeps, "cache" | "epoch" | "reporter">;
  /** What every view shares: the hooks and the client's `track`. */
  readonly hooks: EvaluationHooks;
  /** `userId`: the view's user, which the event's own `userId` (if any) does not override. */
  readonly track: (event: TrackEvent | Omit<TrackEvent, "userId">, userId?: string) => boolean;
  /** Called when an overload episode starts or ends, and for each user shed (the status shows it). */
  readonly onOverload?: () => void;
}

/** The longest one instance holds the right to fetch a user for the fleet (shared store), in ms. */
const MAX_CLAIM_MS = 2_000;

/**
 * The per-request users' scopes: an LRU bounded by `users.maxUsers` and `users.idleTimeout`
 * (a scope with live `flag$` subscribers is pinned), no timer or socket per user, one
 * invalidation epoch for all of them. Freshness is checked when a user is asked for, so a change
 * signal costs nothing until each user is next evaluated: 10,000 cached users never mean 10,000
 * requests at once.
 */
export class UserScopes {
  private readonly entries = new UserEntries();
  /** What every scope is made with: built once, not per new user. */
  private readonly scopeDeps: UserScopeDeps;
  private readonly live: PacedRefresh<UserEntry>;
  private epoch = 0;
  /** Reads the fleet's shared store before asking Rollgate; undefined without a shared store. */
  private readonly sharedRead: SharedStoreRead | undefined;
  private closed = false;
  private warnedPinned = false;
  private readonly admission: UserAdmission;
  private bounds: FreshnessBounds;
  private boundsFreshFor: number;

  constructor(private readonly deps: UserScopesDeps) {
    const { logger } = deps;
    const reporter: ScopeReporter = {
      changed: () => undefined,
      stale: () => undefined,
      // Per-user failures are the breaker's and the default user's to report: one outage must not
      // log once per user.
      failed: (failure) => logger.debug(`Fetching a user's flags failed: ${failure.error.message}`, { code: failure.error.code }),
    };
    // A shared store (a fleet's Redis) holds every user's flags, with no other setting.
    const cache = deps.users.persist || deps.cache?.shared === true ? deps.cache : undefined;
    this.scopeDeps = { ...deps.shared, cache, epoch: () => this.epoch, reporter };
    this.sharedRead =
      cache?.shared === true
        ? new SharedStoreRead({
            cache,
            scheduler: deps.scheduler,
            maxAgeMs: () => this.currentBounds().maxAgeMs,
            claimMs: Math.min(deps.timeout * 1000, MAX_CLAIM_MS),
            waitMs: deps.timeout * 1000,
            closed: () => this.closed,
          })
        : undefined;
    // Read at the first forUser: the stream (which it depends on) may not exist yet.
    this.boundsFreshFor = Number.NaN;
    this.bounds = this.boundsOf(0);
    this.live = new PacedRefresh(
      () => {
        const now = deps.scheduler.now();
        return [...this.entries.values()].filter((entry) => entry.scope.store.watchedKeys > 0 && judgeFreshness(entry.scope.age(), now, this.currentBounds()) !== "fresh");
      },
      (entry) => this.startFetch(entry, "revalidate"),
    );
    this.admission = new UserAdmission(deps.users.maxPending, logger, () => deps.onOverload?.());
  }

  /** Overload and pending requests, for `getStatus().users`. */
  status(): UsersStatus {
    return this.admission.status();
  }

  /** How many users have flags in memory. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The view of `user`'s flags: at once when they are fresh (or the client is closed); at once
   * when they are due, refetched in the background (`users.revalidate: "background"`); else after
   * one fetch shared with concurrent callers, bounded by `timeout`, unless more than
   * `users.maxPending` users' fetches are pending (then at once, stale, "overloaded"). Rejects
   * only for an invalid user.
   */
  forUser(user: RollgateUser): Promise<UserFlags> {
    const now = this.deps.scheduler.now();
    let entry = this.entries.find(user, now);
    if (typeof entry === "string") {
      let valid: RollgateUser;
      try {
        valid = validateUser(user);
      } catch (error) {
        return Promise.reject(error);
      }
      entry = this.create(entry === "" ? userKey(valid) : entry, valid, now);
    }
    if (this.closed) return entry.ready;
    const freshness = judgeFreshness(entry.scope.age(), now, this.currentBounds());
    if (freshness === "fresh") return entry.ready;
    if (freshness === "due" && this.deps.users.revalidate === "background") {
      this.revalidate(entry);
      return entry.ready;
    }
    if (entry.pending !== undefined) return entry.pending;
    if (entry.fetching === undefined && !this.admission.admits("waiting")) {
      entry.scope.markUnanswered(this.admission.shed(entry.scope.hasServerFlags));
      return entry.ready;
    }
    return (entry.pending = this.refresh(entry, "user"));
  }

  /**
   * A change was announced (stream) or asked for (`refresh()`): every user's flags are due. Nobody
   * is fetched now but the users someone subscribes to (paced): the others when next asked for.
   */
  invalidate(): void {
    this.epoch++;
    this.sharedRead?.announce();
    this.refreshLive();
  }

  /**
   * Refetches the users someone subscribes to whose flags are due, paced (`PacedRefresh`: 4 at
   * once), and drops idle users. Runs on every poll tick and after `invalidate()`.
   */
  refreshLive(): void {
    if (this.closed) return;
    this.evict(Number.POSITIVE_INFINITY);
    this.live.request();
  }

  /** Saves again every user's server flags to the store (after the store came back from an outage). */
  refillCache(): void {
    const cache = this.scopeDeps.cache;
    if (cache === undefined || this.closed) return;
    for (const { scope } of this.entries.values()) scope.saveAgain(cache);
  }

  /** Stops every fetch; views keep answering from their last flags. */
  close(): void {
    this.closed = true;
    this.live.close();
    for (const entry of this.entries.values()) entry.scope.close();
  }

  private create(key: string, user: RollgateUser, now: number): UserEntry {
    const scope = new UserScope(user, this.scopeDeps);
    const view = new UserFlags(scope, this.deps.hooks, this.deps.track);
    const entry: UserEntry = { key, scope, view, ready: Promise.resolve(view), pending: undefined, fetching: undefined, lastUsed: now };
    // Room made before the new user is added, so that it is never the one dropped: with every
    // other user pinned, evicting after adding closed the newcomer at once (it got defaults).
    this.evict(this.deps.users.maxUsers - 1);
    this.entries.add(entry);
    return entry;
  }

  /**
   * Starts a background refetch of a known user's due flags, unless one is pending or half of
   * `users.maxPending` is taken (then the user is served what they have and tried when next asked
   * for: background work never crowds out new users). A refetch already running (a live user's,
   * paced) is joined instead. While it is pending past `timeout`, or once it failed, the view says
   * `stale`.
   */
  private revalidate(entry: UserEntry): void {
    if (entry.pending !== undefined) return;
    if (entry.fetching === undefined && !this.admission.admits("background")) return;
    entry.pending = this.refresh(entry, "revalidate");
  }

  /** Runs one fetch for `entry` (joining the one pending), counted against `users.maxPending` until it settles. */
  private startFetch(entry: UserEntry, trigger: "user" | "revalidate"): Promise<unknown> {
    if (entry.fetching !== undefined) return entry.fetching;
    const { scope } = entry;
    // A fleet's shared store first (another instance may have fetched them); without a persistent
    // cache for these users there is nothing to load: straight to the fetch.
    const fetched =
      this.sharedRead !== undefined
        ? this.sharedRead.read(scope).then((served) => (served ? undefined : scope.fetch(trigger)))
        : scope.hasServerFlags || this.scopeDeps.cache === undefined
          ? scope.fetch(trigger)
          : scope.loadCache().then(() => scope.fetch(trigger));
    entry.fetching = fetched;
    const settled = (): void => {
      entry.fetching = undefined;
    };
    fetched.then(settled, settled);
    this.admission.track(fetched);
    return fetched;
  }

  /**
   * One fetch for `entry`, bounded by `timeout`; the fetch goes on in the background after it.
   * `settleBefore`'s wait, written out: the view resolves straight from the fetch's outcome or the
   * timer, without the promises between them (a microtask hop each, on every new user).
   */
  private refresh(entry: UserEntry, trigger: "user" | "revalidate"): Promise<UserFlags> {
    const { scope, view } = entry;
    const { scheduler, timeout } = this.deps;
    const fetched = this.startFetch(entry, trigger);
    return new Promise<UserFlags>((resolve) => {
      let done = false;
      const settle = (answered: boolean): void => {
        if (done) return;
        done = true;
        deadline.unsubscribe();
        entry.pending = undefined;
        if (!answered) scope.markUnanswered(`Rollgate did not answer within ${timeout} s (timeout) for this user.`);
        resolve(view);
      };
      const deadline: Subscription = scheduler.schedule(() => settle(false), timeout * 1000);
      // The fetch never rejects (failures are outcomes, cache reads never reject): either way it answered.
      const answered = (): void => settle(true);
      fetched.then(answered, answered);
    });
  }

  /** The freshness bounds now; rebuilt only when the polling interval changed (the stream opened or dropped). */
  private currentBounds(): FreshnessBounds {
    const freshFor = this.deps.freshFor();
    if (freshFor !== this.boundsFreshFor) {
      this.boundsFreshFor = freshFor;
      this.bounds = this.boundsOf(freshFor);
    }
    return this.bounds;
  }

  private boundsOf(freshFor: number): FreshnessBounds {
    return Object.freeze({ maxAgeMs: freshFor > 0 ? freshFor * 1000 : Number.POSITIVE_INFINITY, maxStaleMs: this.deps.users.maxStale * 1000 });
  }

  /**
   * Drops idle users, then the least recently used until at most `max` remain; never a pinned one
   * (warned about once, when pinned users leave no room for a new one).
   */
  private evict(max: number): void {
    const left = this.entries.evict(max, this.deps.scheduler.now() - this.deps.users.idleTimeout * 1000);
    if (left > max && !this.warnedPinned) {
      this.warnedPinned = true;
      this.deps.logger.warn(
        `users.maxUsers (${this.deps.users.maxUsers}) users have live flag$ subscribers: they are all kept until unsubscribed, and users.maxUsers is exceeded meanwhile.`,
      );
    }
  }
}
