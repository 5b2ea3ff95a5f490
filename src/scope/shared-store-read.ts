import { firstValueFrom, timer, type SchedulerLike } from "rxjs";
import type { CachedFlags } from "../cache/cache-entry";
import type { ClientCache } from "./client-cache";
import type { UserScope } from "./user-scope";

/** What {@link SharedStoreRead} needs from the per-request users. */
export interface SharedStoreReadDeps {
  /** The client's cache, on a store that declares itself shared. */
  readonly cache: ClientCache;
  readonly scheduler: SchedulerLike;
  /** How old flags may be and still be fresh, in ms (`refreshInterval`; Infinity when polling is off). */
  readonly maxAgeMs: () => number;
  /** When this process last heard of a change (stream signal, `refresh()`), on the scheduler's clock. */
  readonly changedAt: () => number;
  /** How long one instance may hold the right to fetch a user (then another may try), in ms. */
  readonly claimMs: number;
  /** The longest an instance waits for others' results before fetching itself, in ms (`timeout`). */
  readonly waitMs: number;
  readonly closed: () => boolean;
}

/**
 * Entries asked for this close to (or after) a change announced here count as written before it:
 * instances' clocks differ a little, and a fetch in flight when the change was announced may
 * predate it. Erring this way costs one extra refetch after a change, never a stale flag served
 * as fresh.
 */
export const CHANGE_MARGIN_MS = 1_000;

/** How often an instance that did not get the claim looks for the winner's result, in ms. */
const WAIT_POLL_MS = 20;

/**
 * A per-request user's flags from the fleet's shared store (DESIGN.md, "Fleets share through
 * Redis"), read before asking Rollgate:
 * 1. an entry fresh by the same rule as memory (younger than `refreshInterval`, asked for after
 *    the last change announced here) is served and nothing is fetched;
 * 2. an entry that is not fresh is served stale meanwhile;
 * 3. then one instance claims the user (a short lock) and fetches; the others look for its
 *    result in the store every few ms, claim again when the claim runs out without one, and
 *    fetch themselves after `waitMs` at the latest.
 *
 * The caller bounds the whole wait with `timeout`. Never rejects (the store never does).
 */
export class SharedStoreRead {
  constructor(private readonly deps: SharedStoreReadDeps) {}

  /** Resolves true when `scope` now serves fresh flags from the store, false when it should fetch. */
  async read(scope: UserScope): Promise<boolean> {
    const { cache, claimMs, scheduler, closed } = this.deps;
    const user = scope.user;
    const first = await cache.load(user);
    if (first !== undefined && this.adopt(scope, first)) return true;
    const seen = first?.savedAt ?? Number.NEGATIVE_INFINITY;
    const giveUp = scheduler.now() + this.deps.waitMs;
    // A claim that runs out without a result (its holder is slow or gone) is claimed again: by
    // one of the waiting instances, not all of them.
    while (!closed() && scheduler.now() < giveUp) {
      if (await cache.claim(user, claimMs)) return false;
      const until = Math.min(giveUp, scheduler.now() + claimMs);
      while (scheduler.now() < until && !closed()) {
        await firstValueFrom(timer(WAIT_POLL_MS, scheduler));
        const next = await cache.load(user);
        if (next !== undefined && next.savedAt > seen && this.adopt(scope, next)) return true;
      }
    }
    return false;
  }

  /** Serves `entry` (stale unless fresh); true when it is fresh. */
  private adopt(scope: UserScope, entry: CachedFlags): boolean {
    const now = this.deps.scheduler.now();
    const age = now - entry.savedAt;
    const current = entry.savedAt > this.deps.changedAt() + CHANGE_MARGIN_MS;
    // An entry from the future (a clock far ahead) is never fresh.
    const fresh = current && age < this.deps.maxAgeMs() && age > -CHANGE_MARGIN_MS;
    scope.adoptShared(entry, current, !fresh);
    return fresh;
  }
}
