import { fnv1a32 } from "./fnv1a32";

/**
 * The rollout bucket of a user for a flag: FNV-1a 32 of `userId:flagKey`, modulo 100
 * (PROTOCOL.md §3.7). The same bucket serves the fallthrough and every rule of the flag.
 *
 * @param userId The user id; "" for anonymous users, who are bucketed too.
 * @param flagKey The flag key.
 * @returns 0 to 99.
 * @example
 * rolloutBucket("user-1", "feature-x"); // 33
 */
export function rolloutBucket(userId: string, flagKey: string): number {
  // Hash the three pieces in sequence rather than concatenating them: same bytes, no string.
  return fnv1a32(flagKey, fnv1a32(":", fnv1a32(userId))) % 100;
}

/**
 * Whether a user falls inside a percentage rollout (PROTOCOL.md §3.7): ≥ 100 is everyone,
 * ≤ 0 is nobody, otherwise the user's bucket must be strictly below the percentage.
 *
 * @param percentage 0–100.
 * @param userId The user id; "" for anonymous users.
 * @param flagKey The flag key.
 * @example
 * isInRollout(75, "alice", "rollout-75"); // false: alice's bucket is 75, and 75 < 75 is false
 */
export function isInRollout(percentage: number, userId: string, flagKey: string): boolean {
  if (percentage >= 100) return true;
  if (percentage <= 0) return false;
  return rolloutBucket(userId, flagKey) < percentage;
}
