import * as z from "zod/mini";
import { DURATION_BOUNDS, durationSchema } from "../options/duration-schema";

/**
 * The `users` option: how many per-request users (`client.forUser(user)`) the client keeps flags
 * for, and for how long. Memory per cached user is measured by `npm run bench` (README,
 * "Many users").
 *
 * @example
 * new RollgateClient({ apiKey, users: { maxUsers: 5_000, idleTimeout: 120 } });
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
}

/** The defaults of {@link UsersOptions}. */
export const USERS_DEFAULTS = Object.freeze({ maxUsers: 1_000, idleTimeout: 600, persist: false });

export type ResolvedUsersOptions = Required<UsersOptions>;

/** Validates the client's `users` option; unknown keys are rejected. */
export const usersOptionsSchema = z.strictObject({
  maxUsers: z.optional(
    z.number().check(z.int("expected a whole number of users"), z.minimum(1, "expected at least 1 user"), z.maximum(10_000_000, "expected at most 10,000,000 users")),
  ),
  idleTimeout: z.optional(durationSchema("an idle lifetime", DURATION_BOUNDS.usersIdleTimeout)),
  persist: z.optional(z.boolean({ error: "expected true or false" })),
});

export function resolveUsersOptions(options: UsersOptions | undefined): ResolvedUsersOptions {
  return Object.freeze({
    maxUsers: options?.maxUsers ?? USERS_DEFAULTS.maxUsers,
    idleTimeout: options?.idleTimeout ?? USERS_DEFAULTS.idleTimeout,
    persist: options?.persist ?? USERS_DEFAULTS.persist,
  });
}
