import { metrics, trace, type Attributes, type AttributeValue, type Counter, type MeterProvider, type Span, type Tracer, type TracerProvider } from "@opentelemetry/api";
import { SDK_VERSION, type EvaluationHook, type EvaluationHookContext, type EvaluationHookData, type EvaluationHookDetail } from "rollgate";
import { errorMessage, FEATURE_FLAG, PROVIDER_NAME, semconvErrorType, semconvReason } from "./semantic-conventions";

/** Options of {@link createOpenTelemetryHook}. */
export interface OpenTelemetryHookOptions {
  /**
   * Add `feature_flag.result.value` (JSON values as their JSON text). Off by default: flag values
   * may be sensitive, and traces often leave the company.
   * @default false
   */
  readonly includeValue?: boolean;
  /**
   * Also start a span per evaluation (`feature_flag.evaluation`, a child of the active span, with
   * the same attributes as the event). Costs a span per getter call: for debugging.
   * @default false
   */
  readonly spans?: boolean;
  /**
   * Count evaluations as the OpenTelemetry counter `feature_flag.evaluations`, by flag key and
   * reason (`feature_flag.key`, `feature_flag.result.reason`, `error.type` on errors).
   * @default true
   */
  readonly metrics?: boolean;
  /** Where the per-evaluation spans go. @default the global tracer provider (`trace`) */
  readonly tracerProvider?: TracerProvider;
  /** Where the counter goes. @default the global meter provider (`metrics`) */
  readonly meterProvider?: MeterProvider;
}

/** The name of the evaluation counter. */
export const EVALUATIONS_METRIC = "feature_flag.evaluations";

const SPAN = "span";

/**
 * An evaluation hook (`client.addHook(hook)` or the `hooks` option) that records every flag
 * evaluation of the client and its `forUser` views in OpenTelemetry, as the semantic conventions
 * for feature flags say: a `feature_flag.evaluation` event on the active span, with
 * `feature_flag.key`, `feature_flag.provider.name` ("rollgate"), `feature_flag.context.id` (the
 * user's id), `feature_flag.result.reason`, and on errors `error.type` and
 * `feature_flag.error.message`; optionally the value, a span per evaluation, and an evaluation
 * counter by key and reason. With no active (recording) span there is no event.
 *
 * @example
 * import { createOpenTelemetryHook } from "rollgate/otel";
 * const client = new RollgateClient({ apiKey, hooks: [createOpenTelemetryHook()] });
 * // inside a request span: client.isEnabled("new-checkout", false) adds the event to that span
 */
export function createOpenTelemetryHook(options: OpenTelemetryHookOptions = {}): EvaluationHook {
  const includeValue = options.includeValue ?? false;
  const counter: Counter | undefined =
    options.metrics === false
      ? undefined
      : (options.meterProvider ?? metrics).getMeter("rollgate", SDK_VERSION).createCounter(EVALUATIONS_METRIC, {
          description: "Feature flag evaluations made by rollgate, by flag key and reason.",
          unit: "{evaluation}",
        });

  const afterEvaluation = (context: EvaluationHookContext, data: EvaluationHookData, detail: EvaluationHookDetail): void => {
    const attributes = evaluationAttributes(context, detail, includeValue);
    const own = data[SPAN] as Span | undefined;
    if (own !== undefined) {
      own.setAttributes(attributes);
      own.end();
    }
    const active = trace.getActiveSpan();
    if (active !== undefined && active.isRecording()) active.addEvent(FEATURE_FLAG.EVENT, attributes);
    if (counter !== undefined) {
      const counted: Attributes = { [FEATURE_FLAG.KEY]: context.flagKey, [FEATURE_FLAG.RESULT_REASON]: attributes[FEATURE_FLAG.RESULT_REASON] };
      if (detail.errorKind !== undefined) counted[FEATURE_FLAG.ERROR_TYPE] = attributes[FEATURE_FLAG.ERROR_TYPE];
      counter.add(1, counted);
    }
  };

  if (options.spans !== true) return { name: "rollgate/otel", afterEvaluation };
  const tracer: Tracer = (options.tracerProvider ?? trace).getTracer("rollgate", SDK_VERSION);
  return {
    name: "rollgate/otel",
    beforeEvaluation: (context, data) => {
      data[SPAN] = tracer.startSpan(FEATURE_FLAG.EVENT, { attributes: { [FEATURE_FLAG.KEY]: context.flagKey, [FEATURE_FLAG.PROVIDER_NAME]: PROVIDER_NAME } });
    },
    afterEvaluation,
  };
}

/** The event's attributes, named and valued as the conventions say. */
function evaluationAttributes(context: EvaluationHookContext, detail: EvaluationHookDetail, includeValue: boolean): Attributes {
  const attributes: Attributes = {
    [FEATURE_FLAG.KEY]: context.flagKey,
    [FEATURE_FLAG.PROVIDER_NAME]: PROVIDER_NAME,
    [FEATURE_FLAG.RESULT_REASON]: semconvReason(detail),
  };
  if (context.user !== undefined) attributes[FEATURE_FLAG.CONTEXT_ID] = context.user.id;
  if (includeValue) attributes[FEATURE_FLAG.RESULT_VALUE] = attributeValue(detail.value);
  if (detail.errorKind !== undefined) {
    attributes[FEATURE_FLAG.ERROR_TYPE] = semconvErrorType(detail.errorKind);
    attributes[FEATURE_FLAG.ERROR_MESSAGE] = errorMessage(detail.errorKind, context.flagKey);
  }
  return attributes;
}

/** A flag value as an attribute value: primitives as they are, JSON objects and arrays as JSON text. */
function attributeValue(value: unknown): AttributeValue {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value) ?? "null";
}
