import { firstValueFrom, takeUntil, type Observable } from "rxjs";
import type { ResolvedOptions } from "./resolve-options";
import type { CircuitBreaker } from "../resilience/circuit-breaker";
import { classifyFailure } from "../resilience/classify-failure";
import { resilientRequest } from "../resilience/resilient-request";
import type { FlagsTransport } from "../transport/flags-transport";
import type { RollgateUser } from "../model/rollgate-user";

export interface PostIdentifyDeps {
  readonly transport: FlagsTransport;
  readonly breaker: CircuitBreaker;
  readonly options: ResolvedOptions;
  /** Emits once, on close: the POST is abandoned. */
  readonly closing$: Observable<void>;
}

/**
 * The identify POST (PROTOCOL.md §1.4), best effort: sent once (no retries), only while the
 * circuit is closed, and never the breaker's proof of health (a side request). It never
 * rejects: flags are fetched with the user context anyway, and that fetch reports an outage,
 * once; a POST refused for another reason is a warning.
 */
export async function postIdentify(user: RollgateUser, deps: PostIdentifyDeps): Promise<void> {
  const { transport, breaker, options, closing$ } = deps;
  if (breaker.getState() !== "closed") return;
  try {
    const post = resilientRequest((signal) => transport.postIdentify(user, signal), { breaker, options, retries: false, side: true });
    await firstValueFrom(post.pipe(takeUntil(closing$)), { defaultValue: undefined });
  } catch (error) {
    const failure = classifyFailure(error);
    const level = failure.countsForBreaker || failure.error.code === "CIRCUIT_OPEN" ? "debug" : "warn";
    options.logger[level]("Could not send the user to Rollgate (POST /identify); flags are still fetched with the user context.", { code: failure.error.code });
  }
}
