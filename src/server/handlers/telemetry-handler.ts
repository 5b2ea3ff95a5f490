import type { Exchange } from "../exchange";
import { GoDecodeError, goField, goInt, goObject } from "../go-struct-decoding";
import type { ReceivedTelemetry } from "../received-log";
import type { ServerContext } from "../server-context";
import { readRequestBody } from "./read-request-body";
import { requireApiKey } from "./require-api-key";

type Counters = ReceivedTelemetry["evaluations"][string];

function decodeTelemetry(text: string): ReceivedTelemetry {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GoDecodeError(`invalid JSON: ${(error as Error).message}`);
  }
  const body = goObject(json, "sdk.TelemetryRequest");
  const evaluations: Record<string, Counters> = Object.create(null) as Record<string, Counters>;
  const raw = goField(body, "evaluations");
  if (raw !== null && raw !== undefined) {
    if (typeof raw !== "object" || Array.isArray(raw)) {
      throw new GoDecodeError("json: cannot unmarshal non-object into Go struct field evaluations of type map[string]sdk.EvaluationStats");
    }
    for (const [key, value] of Object.entries(raw)) {
      const stats = goObject(value, "sdk.EvaluationStats");
      evaluations[key] = {
        total: goInt(goField(stats, "total"), `evaluations.${key}.total`),
        true: goInt(goField(stats, "true"), `evaluations.${key}.true`),
        false: goInt(goField(stats, "false"), `evaluations.${key}.false`),
      };
    }
  }
  return { evaluations, period_ms: goInt(goField(body, "period_ms"), "period_ms") };
}

/**
 * `POST /api/v1/sdk/telemetry` (PROTOCOL.md §1.6): evaluation counters. `period_ms` and the
 * counters must be whole numbers (12.5 is a plain-text 400, as in Go); the answer is
 * `{"received": <sum of totals>}`.
 */
export async function handleTelemetry(exchange: Exchange, context: ServerContext): Promise<void> {
  if (!requireApiKey(exchange, context.apiKey)) return;
  const text = await readRequestBody(exchange, context.maxBodyBytes);
  if (text === undefined) return;
  let telemetry: ReceivedTelemetry;
  try {
    telemetry = decodeTelemetry(text);
  } catch (error) {
    if (!(error instanceof GoDecodeError)) throw error;
    exchange.sendGoError(400, error.message);
    return;
  }
  let total = 0;
  for (const counters of Object.values(telemetry.evaluations)) total += counters.total;
  context.received.recordTelemetry(telemetry, text.length);
  exchange.sendJson(200, `{"received":${total}}`);
}
