import type { RollgateUser } from "../model/rollgate-user";
import type { FlagTable } from "../model/flag-table";
import type { ConversionEvent, TelemetryBody } from "./delivery-bodies";

/** What a flags fetch asks for. */
export interface FlagsRequest {
  readonly user: RollgateUser | undefined;
  /** The ETag of the last 200, sent as `If-None-Match`. */
  readonly etag: string | undefined;
}

/** What a flags fetch brought back. */
export type FlagsResponse =
  | { readonly kind: "updated"; readonly flags: FlagTable; readonly etag: string | undefined }
  | { readonly kind: "not-modified" };

/**
 * The client's port to the Rollgate HTTP API. The reactive core depends only on this; the undici
 * implementation is `HttpFlagsTransport`, and tests of timing logic pass fakes.
 *
 * Implementations reject with a `RollgateError` (classified by status) or with the signal's
 * abort reason once `signal` is aborted.
 */
export interface FlagsTransport {
  /**
   * Fetches the flags. `answered`, when given, is called once the server's flags (a 200 or a
   * 304) are in whole, before they are decoded: from then on the request holds no connection
   * (see `RequestSlots`). A failure is known only when the promise rejects.
   */
  fetchFlags(request: FlagsRequest, signal: AbortSignal, answered?: () => void): Promise<FlagsResponse>;
  /** `POST /api/v1/sdk/identify`; best effort: 404/405 resolve silently. */
  postIdentify(user: RollgateUser, signal: AbortSignal): Promise<void>;
  /** `POST /api/v1/sdk/events` (§1.5): resolves on any 2xx. */
  postEvents(events: readonly ConversionEvent[], signal: AbortSignal): Promise<void>;
  /** `POST /api/v1/sdk/telemetry` (§1.6): resolves on any 2xx. */
  postTelemetry(body: TelemetryBody, signal: AbortSignal): Promise<void>;
  /** The client is closing: the requests that follow are its last (its final deliveries). */
  beginClose?(): void;
  /** Releases connections the transport owns. */
  close(): Promise<void>;
}
