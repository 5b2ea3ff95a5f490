import type { JsonValue } from "../model/flag-model";
import type { ConversionEvent } from "../transport/delivery-bodies";
import { copyMetadata } from "./copy-metadata";

/**
 * Largest `metadata` accepted, in UTF-8 bytes of its JSON (what it weighs on the wire and in the
 * queue, which holds thousands of events): `"é"` counts 2, `"€"` 3.
 */
export const MAX_METADATA_JSON_BYTES = 8 * 1024;

/** Largest `flagKey`, `eventName`, `userId` or `variationId`, in characters. */
export const MAX_EVENT_STRING_LENGTH = 1024;

/** Why an event was refused: the field at fault and what was expected. Never the value itself. */
export interface InvalidEvent {
  readonly field: "event" | "flagKey" | "eventName" | "userId" | "variationId" | "value" | "metadata";
  readonly expected: string;
  /** Reading the input threw (a getter, a Proxy trap, a revoked Proxy): nothing of it can be trusted. */
  readonly unreadable?: true;
}

/** A conversion event ready to queue, and its size as JSON in UTF-8 bytes (for byte-bounded batches). */
export interface SizedEvent {
  readonly event: ConversionEvent;
  readonly bytes: number;
}

const UNREADABLE: InvalidEvent = Object.freeze({ field: "event", expected: "an object whose fields can be read", unreadable: true });

function isText(value: unknown): value is string {
  return typeof value === "string" && value !== "" && value.length <= MAX_EVENT_STRING_LENGTH;
}

const TEXT = `a non-empty string of at most ${MAX_EVENT_STRING_LENGTH} characters`;
const METADATA = `a plain object of JSON values, at most ${MAX_METADATA_JSON_BYTES} bytes as UTF-8 JSON, when given`;

/**
 * Validates what was passed to `track()` and builds the wire event (PROTOCOL.md §1.5):
 * camelCase, optional fields left out when absent (`undefined` counts as absent), `metadata`
 * copied (later changes by the caller do not leak in), `timestamp` from `nowMs` in RFC 3339
 * (`toISOString()`: always with `T` and `Z`). Returns an {@link InvalidEvent} instead of
 * throwing, whatever `input` is: each field is read once, and input whose reading throws is
 * refused as unreadable.
 *
 * @param nowMs The time of the call, epoch ms (`scheduler.now()`).
 * @param userId The user, when it is not the input's to say (a `forUser` view's track): the
 * input's `userId` is then not read at all.
 *
 * @example
 * toConversionEvent({ flagKey: "f", eventName: "purchase", userId: "u1", value: 9.5 }, 0);
 * // { event: { flagKey: "f", eventName: "purchase", userId: "u1", value: 9.5, timestamp: "1970-01-01T00:00:00.000Z" }, bytes: 98 }
 */
export function toConversionEvent(input: unknown, nowMs: number, userId?: string): SizedEvent | InvalidEvent {
  try {
    return readEvent(input, nowMs, userId);
  } catch {
    // A caller's getter or Proxy threw: analytics must never break the request that records them.
    return UNREADABLE;
  }
}

function readEvent(input: unknown, nowMs: number, viewUserId: string | undefined): SizedEvent | InvalidEvent {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { field: "event", expected: "an object" };
  // Field by field (never a spread or a destructuring of the whole): one read each, in this order.
  const fields = input as Record<string, unknown>;
  const flagKey = fields["flagKey"];
  if (!isText(flagKey)) return { field: "flagKey", expected: TEXT };
  const eventName = fields["eventName"];
  if (!isText(eventName)) return { field: "eventName", expected: TEXT };
  const userId = viewUserId ?? fields["userId"];
  if (!isText(userId)) return { field: "userId", expected: TEXT };
  const variationId = fields["variationId"];
  if (variationId !== undefined && !isText(variationId)) return { field: "variationId", expected: `${TEXT} when given` };
  const value = fields["value"];
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) return { field: "value", expected: "a finite number when given" };
  const metadata = fields["metadata"];
  let copied: Record<string, JsonValue> | undefined;
  if (metadata !== undefined) {
    copied = copyMetadata(metadata, MAX_METADATA_JSON_BYTES);
    if (copied === undefined || Buffer.byteLength(JSON.stringify(copied)) > MAX_METADATA_JSON_BYTES) return { field: "metadata", expected: METADATA };
  }
  // Built field by field so that absent fields are left out, never sent as null.
  const fieldsSet: { -readonly [K in keyof Omit<ConversionEvent, "timestamp">]: ConversionEvent[K] } = { flagKey, eventName, userId };
  if (variationId !== undefined) fieldsSet.variationId = variationId;
  if (value !== undefined) fieldsSet.value = value;
  if (copied !== undefined) fieldsSet.metadata = copied;
  const event: ConversionEvent = Object.assign(fieldsSet, { timestamp: new Date(nowMs).toISOString() });
  return { event, bytes: Buffer.byteLength(JSON.stringify(event)) };
}

/** Whether {@link toConversionEvent} refused its input. */
export function isInvalidEvent(result: SizedEvent | InvalidEvent): result is InvalidEvent {
  return "field" in result;
}
