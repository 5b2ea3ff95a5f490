import {
  GeneralError,
  InvalidContextError,
  OpenFeatureError,
  OpenFeatureEventEmitter,
  ProviderFatalError,
  type EvaluationContext,
  type JsonValue,
  type Logger,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from "@openfeature/server-sdk";
import { RollgateClient, type JsonValue as RollgateJsonValue, type RollgateOptions } from "rollgate";
import { contextToUser } from "./context-to-user";
import { ProviderEventBridge } from "./provider-event-bridge";
import { healthOf } from "./provider-health";
import { toResolution, type OpenFeatureFlagType } from "./to-resolution";

/**
 * rollgate as an OpenFeature provider for `@openfeature/server-sdk`: every evaluation context
 * with a `targetingKey` is evaluated for its own user through `client.forUser(user)` (see
 * `contextToUser` for the mapping); an empty context uses the client's default user, and an
 * empty `targetingKey` is `TARGETING_KEY_MISSING` (never the default user).
 *
 * Lifecycle: `initialize()` runs `client.init()`. A refused API key is fatal
 * (`ProviderFatalError`: the SDK answers defaults with `PROVIDER_FATAL` from then on). When
 * Rollgate cannot be reached and nothing is cached, it rejects with a (non-fatal) `GeneralError`:
 * the provider is in `ERROR`, evaluations return defaults with `PROVIDER_NOT_READY`, and the
 * client keeps retrying; the provider emits `PROVIDER_READY` once flags arrive. (So
 * `setProviderAndWait` rejects in that case; `setProvider` does not wait.) With cached flags it
 * resolves, then reports `PROVIDER_STALE` until the server answers.
 *
 * Ownership: a provider built from options creates its client and closes it in `onClose()`. A
 * client passed in stays yours: `onClose()` leaves it open (your app may still use it, e.g. for a
 * health route); close it yourself.
 *
 * Tracking: OpenFeature's `client.track(name, context, details)` becomes a rollgate conversion
 * event (`RollgateClient.track`): `eventName` is the tracking event's name, `userId` the
 * context's `targetingKey` (the client's default user for a context with no `targetingKey`
 * property; none, so the event is dropped, for an empty one), `flagKey` and `variationId` come
 * from `details.flagKey` / `details.variationId` (Rollgate's events belong to a flag's
 * experiment), `value` is `details.value`, and the other details become `metadata`. An event
 * without a flag key or a user is dropped with one warning, as rollgate's `track` drops it.
 *
 * @example
 * import { OpenFeature } from "@openfeature/server-sdk";
 * import { RollgateProvider } from "rollgate/openfeature";
 *
 * await OpenFeature.setProviderAndWait(new RollgateProvider({ apiKey: process.env.ROLLGATE_API_KEY! }));
 * const flags = OpenFeature.getClient();
 * const on = await flags.getBooleanValue("new-checkout", false, { targetingKey: user.id, plan: user.plan });
 */
export class RollgateProvider implements Provider {
  readonly metadata = { name: "rollgate" } as const;
  readonly runsOn = "server" as const;
  /** Provider events: READY (after recovering), STALE, ERROR, CONFIGURATION_CHANGED. */
  readonly events = new OpenFeatureEventEmitter();
  /** The client the provider evaluates with. */
  readonly client: RollgateClient;

  private readonly ownsClient: boolean;
  private readonly bridge: ProviderEventBridge;
  private initPromise: Promise<void> | undefined;

  /**
   * @param clientOrOptions A `RollgateClient` (yours: it is not closed by `onClose()`), or the
   * options to create one with (the provider's: closed by `onClose()`).
   * @throws RollgateConfigError when options are given and one is invalid.
   */
  constructor(clientOrOptions: RollgateClient | RollgateOptions) {
    // Structural, not instanceof: the ESM and CJS builds of rollgate are different classes.
    this.ownsClient = !isClient(clientOrOptions);
    this.client = isClient(clientOrOptions) ? clientOrOptions : new RollgateClient(clientOrOptions);
    this.bridge = new ProviderEventBridge(this.client, this.events);
  }

  /**
   * Initialises the client (`client.init()`). The global evaluation context is not used: each
   * evaluation carries its own (merged) context.
   *
   * @throws ProviderFatalError when Rollgate refuses the API key.
   * @throws GeneralError when no flags could be fetched and none are cached (recoverable).
   */
  initialize(_context?: EvaluationContext): Promise<void> {
    this.initPromise ??= this.runInitialize();
    return this.initPromise;
  }

  /** Stops provider events; closes the client if the provider created it. */
  async onClose(): Promise<void> {
    this.bridge.stop();
    if (this.ownsClient) await this.client.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext, _logger: Logger): Promise<ResolutionDetails<boolean>> {
    return this.resolve(flagKey, "boolean", defaultValue, context);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext, _logger: Logger): Promise<ResolutionDetails<string>> {
    return this.resolve(flagKey, "string", defaultValue, context);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext, _logger: Logger): Promise<ResolutionDetails<number>> {
    return this.resolve(flagKey, "number", defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext, _logger: Logger): Promise<ResolutionDetails<T>> {
    return this.resolve(flagKey, "object", defaultValue, context);
  }

  /** A tracking event, as a rollgate conversion event (see the class). Never throws. */
  track(trackingEventName: string, context: EvaluationContext, details: TrackingEventDetails): void {
    try {
      const { flagKey, variationId, value, ...metadata } = details;
      const userId = this.trackedUserId(context);
      this.client.track({
        flagKey: typeof flagKey === "string" ? flagKey : "",
        eventName: trackingEventName,
        userId,
        ...(typeof variationId === "string" ? { variationId } : {}),
        ...(value === undefined ? {} : { value }),
        ...(Object.keys(metadata).length > 0 ? { metadata: toJsonMetadata(metadata) } : {}),
      });
    } catch {
      // OpenFeature's tracking must never throw; rollgate's track() already warned about bad input.
    }
  }

  /**
   * The user a tracking event is for: the context's, the default user's for a context with no
   * user in it, or "" (which `track` drops with a warning) for one it cannot evaluate, such as an
   * empty `targetingKey`: never the default user for someone else.
   */
  private trackedUserId(context: EvaluationContext): string {
    try {
      return contextToUser(context)?.id ?? this.client.user?.id ?? "";
    } catch {
      return "";
    }
  }

  private async runInitialize(): Promise<void> {
    try {
      await this.client.init();
    } catch (error) {
      // init() rejects only for a refused key: nothing to retry, and no events after it.
      throw new ProviderFatalError(error instanceof Error ? error.message : "Rollgate's client failed to initialise.", { cause: error });
    }
    const status = this.client.getStatus();
    const health = healthOf(status);
    this.bridge.start(health === "error" || health === "fatal" ? health : "ready");
    if (health === "fatal") throw new ProviderFatalError(status.lastError?.message ?? "Rollgate refused the API key.");
    if (health === "error") {
      throw new GeneralError(
        `No flags could be fetched from Rollgate and none are cached (${status.lastError?.message ?? status.staleReason ?? "no answer"}). Evaluations return defaults until the client's retries succeed; the provider then emits PROVIDER_READY.`,
      );
    }
  }

  /** Never throws anything but OpenFeature's typed errors, which the SDK turns into the default. */
  private async resolve<T>(flagKey: string, type: OpenFeatureFlagType, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    try {
      const user = contextToUser(context);
      if (user === undefined) {
        const { stale, source } = this.client.getStatus();
        return toResolution(flagKey, type, defaultValue, this.client.getValueDetail<RollgateJsonValue | undefined>(flagKey, undefined), { stale, source });
      }
      const flags = await this.client.forUser(user);
      return toResolution(flagKey, type, defaultValue, flags.getValueDetail<RollgateJsonValue | undefined>(flagKey, undefined), flags);
    } catch (error) {
      throw asOpenFeatureError(error);
    }
  }
}

/** Tracking details as JSON metadata: dates as ISO strings, anything JSON cannot hold dropped. */
function toJsonMetadata(details: Record<string, unknown>): Record<string, RollgateJsonValue> {
  return JSON.parse(JSON.stringify(details)) as Record<string, RollgateJsonValue>;
}

function isClient(value: RollgateClient | RollgateOptions): value is RollgateClient {
  return typeof (value as Partial<RollgateClient>).forUser === "function" && typeof (value as Partial<RollgateClient>).getValueDetail === "function";
}

/** OpenFeature's errors pass through; rollgate's refusal of a user is an invalid context; anything else is general. */
function asOpenFeatureError(error: unknown): OpenFeatureError {
  if (error instanceof OpenFeatureError) return error;
  if (error instanceof Error && (error as { code?: unknown }).code === "CONFIG_INVALID") {
    return new InvalidContextError(`rollgate cannot evaluate for this context: ${error.message}`, { cause: error });
  }
  return new GeneralError(`rollgate failed to evaluate: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
