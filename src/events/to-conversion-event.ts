import type { JsonValue } from "../model/flag-model";
import { isJsonValue } from "../options/json-value-schema";
import type { ConversionEvent } from "../transport/delivery-bodies";

/** Largest `metadata` accepted, in characters of JSON: the queue holds thousands of events. */
export const MAX_METADATA_JSON_LENGTH = 8 * 1024;

/** Largest `flagKey`, `eventName`, `userId` or `variationId`, in characters. */
export const MAX_EVENT_STRING_LENGTH = 1024;

/** Why an event was refused: the field at fault and what was expected. Never the value itself. */
export interface InvalidEvent {
  readonly field: "event" | "flagKey" | "eventName" | "userId" | "variationId" | "value" | "metadata";
  readonly expected: string;
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value !== "" && value.length <= MAX_EVENT_STRING_LENGTH;
}

const TEXT = `a non-empty string of at most ${MAX_EVENT_STRING_LENGTH} characters`;

/**
 * Validates what was passed to `track()` and builds the wire event (PROTOCOL.md §1.5):
 * camelCase, optional fields left out when absent (`undefined` counts as absent), `metadata`
 * copied (later changes by the caller do not leak in), `timestamp` from `nowMs` in RFC 3339
 * (`toISOString()`: always with `T` and `Z`). Returns an {@link InvalidEvent} instead of
 * throwing.
 *
 * @param nowMs The time of the call, epoch ms (`scheduler.now()`).
 *
 * @example
 * toConversionEvent({ flagKey: "f", eventName: "purchase", userId: "u1", value: 9.5 }, 0);
 * // { flagKey: "f", eventName: "purchase", userId: "u1", value: 9.5, timestamp: "1970-01-01T00:00:00.000Z" }
 */
export function toConversionEvent(input: unknown, nowMs: number): ConversionEvent | InvalidEvent {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { field: "event", expected: "an object" };
  const { flagKey, eventName, userId, variationId, value, metadata } = input as Record<string, unknown>;
  if (!isText(flagKey)) return { field: "flagKey", expected: TEXT };
  if (!isText(eventName)) return { field: "eventName", expected: TEXT };
  if (!isText(userId)) return { field: "userId", expected: TEXT };
  if (variationId !== undefined && !isText(variationId)) return { field: "variationId", expected: `${TEXT} when given` };
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) return { field: "value", expected: "a finite number when given" };
  let copied: Record<string, JsonValue> | undefined;
  if (metadata !== undefined) {
    const expected = `a plain object of JSON values, at most ${MAX_METADATA_JSON_LENGTH} characters as JSON, when given`;
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata) || !isJsonValue(metadata)) return { field: "metadata", expected };
    const json = JSON.stringify(metadata);
    if (json.length > MAX_METADATA_JSON_LENGTH) return { field: "metadata", expected };
    copied = JSON.parse(json) as Record<string, JsonValue>;
  }
  // Built field by field so that absent fields are left out, never sent as null.
  const event: { -readonly [K in keyof Omit<ConversionEvent, "timestamp">]: ConversionEvent[K] } = { flagKey, eventName, userId };
  if (variationId !== undefined) event.variationId = variationId;
  if (value !== undefined) event.value = value;
  if (copied !== undefined) event.metadata = copied;
  return Object.assign(event, { timestamp: new Date(nowMs).toISOString() });
}

/** Whether {@link toConversionEvent} refused its input. */
export function isInvalidEvent(result: ConversionEvent | InvalidEvent): result is InvalidEvent {
  return "field" in result;
}
