import type { JsonValue } from "./flag-model";

/**
 * The user flags are evaluated for. `attributes` feed targeting rules
 * (e.g. `plan in ["pro","enterprise"]`, `app_version semver_gt 2.0.0`).
 *
 * @example
 * await client.identify({ id: "user-123", email: "ana@example.com", attributes: { plan: "pro" } });
 */
export interface RollgateUser {
  /** A stable, non-empty user id; rollouts bucket on it. */
  readonly id: string;
  readonly email?: string;
  readonly attributes?: Readonly<Record<string, JsonValue>>;
}
