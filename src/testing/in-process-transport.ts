import type { RollgateUser } from "../model/rollgate-user";
import type { EvaluationUser } from "../model/flag-model";
import type { FlagStore } from "../server/flag-store";
import { renderV2Flags } from "../server/render-flag-bodies";
import { decodeUserObject } from "../server/request-user";
import { decodeV2Flags } from "../transport/decode-flags";
import type { ConversionEvent, TelemetryBody } from "../transport/delivery-bodies";
import type { FlagsRequest, FlagsResponse, FlagsTransport } from "../transport/flags-transport";

const SOURCE = "test data";

/** Where an in-process transport delivers what a client sends. */
export interface InProcessReceiver {
  readonly closed: () => void;
  readonly events: (events: readonly ConversionEvent[]) => void;
  readonly telemetry: (body: TelemetryBody) => void;
}
const ANONYMOUS: EvaluationUser = Object.freeze({ id: "" });

/**
 * The user the local server would evaluate for this client's request: the `X-User-Context` JSON
 * decoded as the server decodes it (PROTOCOL.md §1.7; an empty email counts as none), or the
 * anonymous user.
 */
function evaluationUser(user: RollgateUser | undefined): EvaluationUser {
  if (user === undefined) return ANONYMOUS;
  return decodeUserObject(JSON.parse(JSON.stringify({ id: user.id, email: user.email, attributes: user.attributes }))) ?? ANONYMOUS;
}

/**
 * One client's `FlagsTransport` over a `TestData`'s flags: each fetch renders the v2 body the
 * local server would send for the request's user and decodes it as the HTTP transport does, so
 * values, types and reasons are the server's to the byte. Answers on a microtask: no socket, no
 * timer. Every fetch is tracked until it settles so that `TestData.update` can wait for it.
 */
export class InProcessTransport implements FlagsTransport {
  private closed = false;

  constructor(
    private readonly store: FlagStore,
    private readonly pending: Set<Promise<unknown>>,
    private readonly received: InProcessReceiver,
  ) {}

  fetchFlags(request: FlagsRequest, signal: AbortSignal): Promise<FlagsResponse> {
    let response: Promise<FlagsResponse>;
    if (signal.aborted) response = Promise.reject(signal.reason as Error);
    else {
      try {
        const flags = decodeV2Flags(JSON.parse(renderV2Flags(this.store, evaluationUser(request.user))), SOURCE);
        response = Promise.resolve({ kind: "updated", flags, etag: undefined });
      } catch (error) {
        response = Promise.reject(error as Error);
      }
    }
    this.track(response);
    return response;
  }

  /** The server would keep a session for the user; flags requests carry the whole user anyway. */
  postIdentify(): Promise<void> {
    return Promise.resolve();
  }

  /** Conversion events reach the test data, as they would reach Rollgate. */
  postEvents(events: readonly ConversionEvent[], signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    this.received.events(structuredClone(events));
    return Promise.resolve();
  }

  /** Evaluation counts reach the test data, as they would reach Rollgate. */
  postTelemetry(body: TelemetryBody, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    this.received.telemetry(structuredClone(body));
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.received.closed();
    }
    return Promise.resolve();
  }

  private track(response: Promise<unknown>): void {
    this.pending.add(response);
    // Registered before the caller's own reaction, so it runs first; the caller's (which applies
    // the flags) runs in the same microtask checkpoint, before anyone awaiting `pending` resumes.
    response.then(
      () => this.pending.delete(response),
      () => this.pending.delete(response),
    );
  }
}
