import type { RollgateUser } from "../model/rollgate-user";
import type { TrackEvent } from "../events/track-event";
import type { EvaluationHooks } from "./evaluation-hooks";
import type { FlagSource } from "../model/flag-snapshot";
import { FlagReader } from "./flag-reader";
import type { UserScope } from "./user-scope";

/**
 * The flags of one user, from `await client.forUser(user)`: the client's getters (synchronous,
 * never throwing), their `*Detail` forms and live `flag$` / `isEnabled$` streams, evaluated for
 * this user only. It shares the client's connection, breaker and stream; nothing done through
 * it changes what any other user, or the client's own getters, see.
 *
 * Hold it for the duration of a request. A view kept longer still answers, but it is refreshed
 * only while something subscribes to its `flag$`; ask `forUser` again for fresh flags.
 *
 * @example
 * app.get("/checkout", async (req, res) => {
 *   const flags = await client.forUser({ id: req.user.id, attributes: { plan: req.user.plan } });
 *   res.render(flags.isEnabled("new-checkout", false) ? "checkout-v2" : "checkout");
 * });
 */
export class UserFlags extends FlagReader {
  /** @internal Views are made by `RollgateClient.forUser`. */
  constructor(
    scope: UserScope,
    hooks: EvaluationHooks,
    private readonly send: (event: TrackEvent | Omit<TrackEvent, "userId">, userId?: string) => boolean,
  ) {
    super(scope, hooks);
  }

  /**
   * Records a conversion event for this user (`userId` is the view's user): see
   * `RollgateClient.track`. Never throws; `false` when the event was not queued.
   *
   * @example
   * flags.track({ flagKey: "checkout-redesign", eventName: "purchase", value: 29.99 });
   */
  track(event: Omit<TrackEvent, "userId">): boolean {
    // The view's user is passed beside the event, not spread into a copy of it: a spread runs
    // the caller's getters and Proxy traps here, where a throw would reach the request.
    return this.send(event, this.scope.user!.id);
  }

  /** The user these flags are evaluated for (a private, frozen copy). */
  get user(): RollgateUser {
    return this.scope.user!;
  }

  /** Where the flags come from: the server, the persistent cache, or nothing yet (`defaults`). */
  get source(): FlagSource {
    return this.scope.store.current.source;
  }

  /** Whether the flags may be out of date (the server could not be reached for this user). */
  get stale(): boolean {
    return this.scope.store.current.stale;
  }

  /** Why they may be, while `stale` is true. */
  get staleReason(): string | undefined {
    return this.scope.staleReason;
  }
}
