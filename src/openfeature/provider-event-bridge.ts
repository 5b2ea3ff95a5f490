import { ErrorCode, ProviderEvents, type OpenFeatureEventEmitter } from "@openfeature/server-sdk";
import type { RollgateClient, RollgateStatus } from "rollgate";
import { Subscription } from "rxjs";
import { healthOf, type ProviderHealth } from "./provider-health";

/**
 * Turns the client's status and flag updates into OpenFeature provider events, once the provider
 * is initialised: `PROVIDER_STALE` when flags become stale or the circuit opens,
 * `PROVIDER_READY` when they are current again, `PROVIDER_ERROR` when there are no flags at all
 * (with `errorCode: PROVIDER_FATAL` when Rollgate refuses the key: the SDK then stops
 * evaluating), and `PROVIDER_CONFIGURATION_CHANGED` with `flagsChanged` when the default user's
 * flags change. Only transitions are emitted: one event per episode, never a repeat.
 */
export class ProviderEventBridge {
  private readonly subscription = new Subscription();
  private announced: ProviderHealth = "ready";
  private pending: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(
    private readonly client: RollgateClient,
    private readonly emitter: OpenFeatureEventEmitter,
  ) {}

  /**
   * Starts translating, given what the SDK announces when `initialize()` settles (`ready` when
   * it resolves, `error` or `fatal` when it rejects).
   *
   * The SDK announces that in a promise callback of its own, after `initialize()` settles; any
   * event of ours must come after it, or the SDK's announcement would overwrite it (a client stale
   * at startup would end up READY). `setImmediate` runs after every pending promise callback: it
   * orders, it does not time, so it is not the client's scheduler's business.
   */
  start(announcedBySdk: ProviderHealth): void {
    if (this.stopped || announcedBySdk === "fatal") return;
    this.announced = announcedBySdk;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      if (this.stopped) return;
      this.subscription.add(this.client.status$.subscribe({ next: (status) => this.onStatus(status), error: () => undefined }));
      this.subscription.add(
        this.client.events$.subscribe({
          next: (event) => {
            if (event.type !== "flags-updated" || event.changedKeys.length === 0) return;
            const flagsChanged = [...event.changedKeys];
            // The client updates its status right after this event: let a recovery's READY go
            // first, so that handlers of CONFIGURATION_CHANGED see a ready provider.
            queueMicrotask(() => {
              if (!this.stopped && this.announced !== "fatal") this.emitter.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
            });
          },
          error: () => undefined,
        }),
      );
    });
  }

  /** Stops emitting. Idempotent. */
  stop(): void {
    this.stopped = true;
    if (this.pending !== undefined) clearImmediate(this.pending);
    this.subscription.unsubscribe();
  }

  private onStatus(status: RollgateStatus): void {
    if (status.closed || this.announced === "fatal") return;
    const health = healthOf(status);
    if (health === this.announced) return;
    this.announced = health;
    switch (health) {
      case "ready":
        this.emitter.emit(ProviderEvents.Ready, {});
        break;
      case "stale":
        this.emitter.emit(ProviderEvents.Stale, { message: status.staleReason ?? "The circuit breaker is open; serving the last flags." });
        break;
      case "error":
        this.emitter.emit(ProviderEvents.Error, {
          message: status.lastError?.message ?? status.staleReason ?? "No flags could be fetched from Rollgate.",
          errorCode: ErrorCode.GENERAL,
        });
        break;
      case "fatal":
        this.emitter.emit(ProviderEvents.Error, { message: status.lastError?.message ?? "Rollgate refused the API key.", errorCode: ErrorCode.PROVIDER_FATAL });
        break;
    }
  }
}
