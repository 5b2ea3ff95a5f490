/**
 * The flag model of the local server and its evaluation engine (PROTOCOL.md §3.1, §3.6).
 * These are definitions as stored in a flags file, not values served to clients.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One condition of a rule or a segment: `attribute operator value`. */
export interface Condition {
  readonly attribute: string;
  /** `eq neq contains not_contains starts_with ends_with gt gte lt lte in not_in regex semver_*`; anything else never matches. */
  readonly operator: string;
  readonly value: JsonValue;
}

/** A targeting rule; rules are evaluated in order and the first enabled match decides. */
export interface Rule {
  readonly id: string;
  readonly enabled: boolean;
  readonly conditions: readonly Condition[];
  /** 0–100; missing means 0. */
  readonly rolloutPercentage?: number;
  /** Key into the flag's `variations` served when this rule matches. */
  readonly variation?: string;
}

/** A flag definition. */
export interface FlagDefinition {
  readonly key: string;
  /** Kill switch: false serves `false` with reason OFF. */
  readonly enabled: boolean;
  /** Fallthrough percentage, 0–100; missing means 0. */
  readonly rolloutPercentage?: number;
  readonly targetUsers?: readonly string[];
  readonly rules?: readonly Rule[];
  /** Typed flags only: variation key → JSON value. */
  readonly variations?: Readonly<Record<string, JsonValue>>;
  /** Typed flags only: key into `variations`. */
  readonly defaultVariation?: string;
}

/** A segment: a named list of conditions, referenced as `{attribute:"segment", operator:"in", value}`. */
export interface SegmentDefinition {
  readonly conditions: readonly Condition[];
}

/** The user an evaluation is made for (PROTOCOL.md §3.5). */
export interface EvaluationUser {
  /** The user id; "" for anonymous. */
  readonly id: string;
  readonly email?: string;
  readonly attributes?: Readonly<Record<string, JsonValue>>;
}
