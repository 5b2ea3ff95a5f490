import type { Exchange } from "../exchange";
import { GoDecodeError, goField, goFloat, goMap, goObject, goString } from "../go-struct-decoding";
import type { ReceivedEvent } from "../received-log";
import { isRfc3339Timestamp } from "../rfc3339";
import type { ServerContext } from "../server-context";
import { readRequestBody } from "./read-request-body";
import { requireApiKey } from "./require-api-key";

/** Checks one event as Go decodes it into the reference server's event struct (§1.5). */
function checkEvent(value: unknown, index: number): ReceivedEvent {
  const event = goObject(value, "sdk.ConversionEvent");
  const at = (field: string) => `events[${index}].${field}`;
  goString(goField(event, "flagKey"), at("flagKey"));
  goString(goField(event, "eventName"), at("eventName"));
  goString(goField(event, "userId"), at("userId"));
  goString(goField(event, "variationId"), at("variationId"));
  goFloat(goField(event, "value"), at("value"));
  goMap(goField(event, "metadata"), at("metadata"));
  const timestamp = goField(event, "timestamp");
  if (timestamp !== null && timestamp !== undefined) {
    if (typeof timestamp !== "string") throw new GoDecodeError("Time.UnmarshalJSON: input is not a JSON string");
    if (!isRfc3339Timestamp(timestamp)) {
      throw new GoDecodeError(`parsing time ${JSON.stringify(timestamp)} as "2006-01-02T15:04:05Z07:00": cannot parse it as RFC 3339`);
    }
  }
  return event as ReceivedEvent;
}

function decodeEvents(text: string): readonly ReceivedEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GoDecodeError(`invalid JSON: ${(error as Error).message}`);
  }
  const events = goField(goObject(json, "sdk.EventsRequest"), "events");
  if (events === null || events === undefined) return [];
  if (!Array.isArray(events)) throw new GoDecodeError("json: cannot unmarshal non-array into Go struct field events of type []sdk.ConversionEvent");
  return events.map(checkEvent);
}

/**
 * `POST /api/v1/sdk/events` (PROTOCOL.md §1.5): a batch of conversion events. Any event with
 * a timestamp that is not RFC 3339, or a field of the wrong type, fails the whole batch with a
 * plain-text 400; otherwise `{"received":n}`.
 */
export async function handleEvents(exchange: Exchange, context: ServerContext): Promise<void> {
  if (!requireApiKey(exchange, context.apiKey)) return;
  const text = await readRequestBody(exchange, context.maxBodyBytes);
  if (text === undefined) return;
  let events: readonly ReceivedEvent[];
  try {
    events = decodeEvents(text);
  } catch (error) {
    if (!(error instanceof GoDecodeError)) throw error;
    exchange.sendGoError(400, error.message);
    return;
  }
  context.received.recordEvents(events, text.length);
  exchange.sendJson(200, `{"received":${events.length}}`);
}

