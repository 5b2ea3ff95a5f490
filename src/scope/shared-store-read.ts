import { firstValueFrom, timer, type SchedulerLike } from "rxjs";
import type { ClientCache, SharedLoad } from "./client-cache";
import type { UserScope } from "./user-scope";

/** What {@link SharedStoreRead} needs from the per-request users. */
export interface SharedStoreReadDeps {
  /** The client's cache, on a store that declares itself shared. */
  readonly cache: ClientCache;
  readonly scheduler: SchedulerLike;
  /** How old flags may be and still be fresh, in ms (`refreshInterval`; Infinity when polling is off). */
  readonly maxAgeMs: () => number;
  /** How long one instance may hold the right to fetch a user (then another may try), in ms. */
  readonly claimMs: number;
  /** The longest an instance waits for others' results before fetching itself, in ms (`timeout`). */
  readonly waitMs: number;
  readonly closed: () => boolean;
}

/** How often an instance that did not get the claim looks for the winner's result, in ms. */
const WAIT_POLL_MS = 20;

/**
 * A per-request user's flags from the fleet's shared store (DESIGN.md, "Fleets share through
 * Redis"), read before asking Rollgate:
 * 1. an entry fresh by the same rule as memory (younger than `refreshInterval`, asked for after
 *    every change announced to the fleet) is served and nothing is fetched;
 * 2. an entry that is not fresh is served stale meanwhile;
 * 3. then one instance claims the user (a short lock) and fetches; the others look for its
 *    result in the store every few ms, claim again when the claim runs out without one, and
 *    fetch themselves after `waitMs` at the latest.
 *
 * "After every change" is decided by a counter in the store, not by clocks (instances' clocks
 * disagree): an instance told of a change moves the fleet's change generation on
 * (`CacheStore.advanceGeneration`), each entry records the generation read before its flags were
 * asked for, and an entry is current only while the generation read with it (in the same round
 * trip) is still the one it records. Until this instance's own increment has landed (the store was
 * down when the change was announced), no entry is current here.
 *
 * The caller bounds the whole wait with `timeout`. Never rejects (the store never does).
 */
export class SharedStoreRead {
  /** The generation this instance's last announcement moved the fleet to: entries asked for before it are never current here. */
  private floor = 0;
  /** A change announced here is not yet counted in the store: no entry is current until it is. */
  private unrecorded = false;
  /** Whether any change was announced here (all a store without generations can go by). */
  private announced = false;
  /** Increments sent, so that only the latest one's landing clears `unrecorded`. */
  private increments = 0;
  /** The increment in flight, which reads wait for rather than send another. */
  private recording: Promise<void> | undefined;

  constructor(private readonly deps: SharedStoreReadDeps) {}

  /** A change was announced to this instance (stream, `refresh()`): entries asked for before it are due, fleet-wide. */
  announce(): void {
    this.announced = true;
    this.unrecorded = true;
    // Always a new increment: one already in flight may have landed before this change.
    this.recording = this.advance();
  }

  /** Resolves true when `scope` now serves fresh flags from the store, false when it should fetch. */
  async read(scope: UserScope): Promise<boolean> {
    const { cache, claimMs, scheduler, closed } = this.deps;
    const user = scope.user;
    // An announcement the store missed (it was down) is counted first: one round trip, once.
    if (this.unrecorded && cache.hasGenerations) await (this.recording ??= this.advance());
    let last = await this.load(scope);
    if (last.entry !== undefined && this.adopt(scope, last)) return true;
    const seen = last.entry;
    const giveUp = scheduler.now() + this.deps.waitMs;
    // A claim that runs out without a result (its holder is slow or gone) is claimed again: by
    // one of the waiting instances, not all of them.
    while (!closed() && scheduler.now() < giveUp) {
      if (await cache.claim(user, claimMs)) break;
      const until = Math.min(giveUp, scheduler.now() + claimMs);
      while (scheduler.now() < until && !closed()) {
        await firstValueFrom(timer(WAIT_POLL_MS, scheduler));
        last = await this.load(scope);
        const next = last.entry;
        const written = next !== undefined && (seen === undefined || next.savedAt !== seen.savedAt || next.generation !== seen.generation);
        if (written && this.adopt(scope, last)) return true;
      }
    }
    // The flags about to be fetched are asked for in the generation just read: their entry records it.
    scope.askIn(last.generation);
    return false;
  }

  /**
   * The user's entry and the generation. A counter that went backwards (Redis lost it, e.g. it
   * restarted) is counted again before any entry is current here; an unknown one (down) likewise.
   */
  private async load(scope: UserScope): Promise<SharedLoad> {
    const loaded = await this.deps.cache.loadShared(scope.user);
    const { generation } = loaded;
    if (this.deps.cache.hasGenerations && (generation === undefined || generation < this.floor)) {
      // Nothing read now is current; the next read increments the counter (recreating it) first.
      this.floor = 0;
      this.unrecorded = true;
    }
    return loaded;
  }

  /** Serves the entry read (stale unless fresh); true when it is fresh. */
  private adopt(scope: UserScope, loaded: SharedLoad): boolean {
    const entry = loaded.entry!;
    const current = this.isCurrent(entry.generation, loaded.generation);
    const age = this.deps.scheduler.now() - entry.savedAt;
    const maxAgeMs = this.deps.maxAgeMs();
    // Age is the one thing judged by the clocks: an entry from a clock ahead of ours looks younger
    // by the difference; one more than maxAge ahead is not believed.
    const fresh = current && age < maxAgeMs && age > -maxAgeMs;
    scope.adoptShared(entry, current, !fresh);
    return fresh;
  }

  /** Whether an entry asked for in `recorded` postdates every change announced (see the class). */
  private isCurrent(recorded: number | undefined, generation: number | undefined): boolean {
    if (!this.deps.cache.hasGenerations) return !this.announced;
    return !this.unrecorded && generation !== undefined && recorded === generation && generation >= this.floor;
  }

  /** Sends one increment of the fleet's change generation; never rejects. */
  private advance(): Promise<void> {
    const increment = ++this.increments;
    const done: Promise<void> = this.deps.cache.advanceGeneration().then((generation) => {
      if (generation !== undefined) {
        this.floor = Math.max(this.floor, generation);
        if (increment === this.increments) this.unrecorded = false;
      }
      if (this.recording === done) this.recording = undefined;
    });
    return done;
  }
}
