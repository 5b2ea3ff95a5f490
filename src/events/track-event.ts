import type { JsonValue } from "../model/flag-model";

/**
 * A conversion event for an A/B test, as passed to `track()` (PROTOCOL.md §1.5). It is
 * timestamped when `track()` is called.
 *
 * @example
 * client.track({ flagKey: "checkout-redesign", eventName: "purchase", userId: "user-123", value: 29.99, metadata: { currency: "EUR" } });
 */
export interface TrackEvent {
  /** The flag whose experiment this conversion belongs to. Non-empty. */
  readonly flagKey: string;
  /** What happened, e.g. `purchase` or `signup`. Non-empty. */
  readonly eventName: string;
  /** Who converted. Non-empty. On a per-user view it is the view's user. */
  readonly userId: string;
  /** The variation the user saw, when the flag has several. Non-empty when given. */
  readonly variationId?: string | undefined;
  /** A measure of the conversion (an amount, a count). A finite number. */
  readonly value?: number | undefined;
  /** Extra detail: a plain object of JSON values, at most 8 KiB as JSON, in UTF-8 bytes. Copied at the call (each property read once). */
  readonly metadata?: Readonly<Record<string, JsonValue>> | undefined;
}
