import * as z from "zod/mini";
import { DURATION_BOUNDS, durationSchema } from "../options/duration-schema";

/**
 * How a known user's due flags are refreshed: `"background"` serves them at once and refetches
 * behind the request (stale-while-revalidate); `"wait"` makes the request wait for the refetch.
 */
export type RevalidateMode = "background" | "wait";

/**
 * The `users` option: how many per-request users (`client.forUser(user)`) the client keeps flags
 * for, for how long, how their flags are refreshed and how many may wait for the server. Memory
 * per cached user is measured by `npm run bench` (README, "Many users").
 *
 * @example
 * new RollgateClient({ apiKey, users: { maxUsers: 5_000, idleTimeout: 120, maxStale: 60 } });
 */
export interface UsersOptions {
  /**
   * Most users whose flags are kept in memory. The least recently used is dropped first; a user
   * whose `flag$` has live subscribers is never dropped.
   * @default 1000
   */
  readonly maxUsers?: number;
  /**
   * Seconds a user's flags stay in memory after their last `forUser`.
   * @default 600
   */
  readonly idleTimeout?: number;
  /**
   * Also save per-request users' flags in the persistent cache (`cache` option), at most
   * `maxUsers` entries written by this process. The identify() user is always saved.
   * @default false
   */
  readonly persist?: boolean;
  /**
   * What `forUser` does for a known user whose flags are due (older than `refreshInterval`, or a
   * change was announced): `"background"` answers at once with the flags it has and refetches them
   * behind the request, so the network is never on a known user's request path, at the cost that
   * the first request after a change may see the old value once; `"wait"` waits for the refetch
   * (bounded by `timeout`), as for a new user.
   * @default "background"
   */
  readonly revalidate?: RevalidateMode;
  /**
   * Seconds: due flags at least this old (since they were asked for) are not served as current:
   * `forUser` waits for the server (bounded by `timeout`), as for a new user. Flags younger than
   * `refreshInterval` with no change announced are fresh whatever this says.
   * @default 300
   */
  readonly maxStale?: number;
  /**
   * Most users' flags requests pending at once (waiting for a connection or in flight). Past it,
   * `forUser` for a user it would have to wait for answers at once with what it has (a new user:
   * your defaults), `stale` true with an "overloaded" reason, counted in `getStatus().users`.
   * Background refetches start only while fewer than half of this are pending.
   * @default 2000
   */
  readonly maxPending?: number;
}

/** The defaults of {@link UsersOptions}. */
export const USERS_DEFAULTS = Object.freeze({
  maxUsers: 1_000,
  idleTimeout: 600,
  persist: false,
  revalidate: "background" as RevalidateMode,
  // Long enough that a few minutes of outage or a quiet user never puts the network on a known
  // user's request; short enough that a user idle that long never sees a 5-minute-old kill switch.
  maxStale: 300,
  // What the default 64 connections drain within the default 5 s timeout at ~150 ms latency: a
  // user queued further back would wait out the timeout and get defaults anyway.
  maxPending: 2_000,
});

export type ResolvedUsersOptions = Required<UsersOptions>;

/** Validates the client's `users` option; unknown keys are rejected. */
export const usersOptionsSchema = z.strictObject({
  maxUsers: z.optional(
    z.number().check(z.int("expected a whole number of users"), z.minimum(1, "expected at least 1 user"), z.maximum(10_000_000, "expected at most 10,000,000 users")),
  ),
  idleTimeout: z.optional(durationSchema("an idle lifetime", DURATION_BOUNDS.usersIdleTimeout)),
  persist: z.optional(z.boolean({ error: "expected true or false" })),
  revalidate: z.optional(z.enum(["background", "wait"], { error: 'expected "background" or "wait"' })),
  maxStale: z.optional(durationSchema("a staleness bound", DURATION_BOUNDS.usersMaxStale)),
  maxPending: z.optional(
    z.number().check(z.int("expected a whole number of requests"), z.minimum(1, "expected at least 1 request"), z.maximum(1_000_000, "expected at most 1,000,000 requests")),
  ),
});

export function resolveUsersOptions(options: UsersOptions | undefined): ResolvedUsersOptions {
  return Object.freeze({
    maxUsers: options?.maxUsers ?? USERS_DEFAULTS.maxUsers,
    idleTimeout: options?.idleTimeout ?? USERS_DEFAULTS.idleTimeout,
    persist: options?.persist ?? USERS_DEFAULTS.persist,
    revalidate: options?.revalidate ?? USERS_DEFAULTS.revalidate,
    maxStale: options?.maxStale ?? USERS_DEFAULTS.maxStale,
    maxPending: options?.maxPending ?? USERS_DEFAULTS.maxPending,
  });
}
