import type { Dispatcher } from "undici";
import { NetworkError, PayloadError, RollgateError } from "../errors";
import type { Logger } from "../logger/logger";
import { httpFailureToError } from "../resilience/classify-failure";
import { errorDetail } from "../resilience/error-detail";
import type { RollgateUser } from "../model/rollgate-user";
import { SDK_NAME, SDK_VERSION } from "../version";
import { decodeV1Flags, decodeV2Flags } from "./decode-flags";
import type { ConversionEvent, TelemetryBody } from "./delivery-bodies";
import type { FlagsRequest, FlagsResponse, FlagsTransport } from "./flags-transport";
import { DecodedBodyMemo } from "./decoded-body-memo";
import { readLimitedBody, readLimitedBytes } from "./read-limited-body";
import { RollgateHttp } from "./rollgate-http";
import { encodeUserContext } from "./user-context-header";
import { nextIoTurn } from "./next-io-turn";

const V2_PATH = "/api/v1/sdk/v2/flags";
const V1_PATH = "/api/v1/sdk/flags";
const IDENTIFY_PATH = "/api/v1/sdk/identify";
const EVENTS_PATH = "/api/v1/sdk/events";
const TELEMETRY_PATH = "/api/v1/sdk/telemetry";
/** How long the client stays on v1 after the typed endpoint answered 404, before asking it again. */
const V2_RETRY_MS = 10 * 60_000;

export interface HttpFlagsTransportOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly maxPayloadBytes: number;
  readonly logger: Logger;
  /** A caller-owned dispatcher; when absent the transport creates (and closes) its own keep-alive Agent at the first request. */
  readonly dispatcher: Dispatcher | undefined;
  /**
   * The most flags requests the client sends at once (`RequestSlots`): the pool it creates has
   * that many connections, plus two for the stream and event deliveries, so a flags request that
   * was given a slot is sent at once rather than queued in undici. @default 64
   */
  readonly connections?: number | undefined;
  /** Current time in ms, for `Retry-After` dates. */
  readonly now: () => number;
}

/** Turns whatever undici threw into a typed error, keeping abort reasons untouched. */
function toTransportError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof RollgateError) return error;
  const code = (error as { code?: unknown }).code;
  const message = errorDetail(error instanceof Error ? error.message : String(error)) ?? "unknown failure";
  return new NetworkError(typeof code === "string" ? `${code} (${message})` : message, { cause: error });
}

/**
 * The Rollgate HTTP API over undici (PROTOCOL.md §4.1): typed v2 flags with a fallback to v1 on
 * 404 for the life of the client, ETag / 304, `X-User-Context` and `user_id`, the identify POST,
 * every 200 validated before it is used.
 */
export class HttpFlagsTransport implements FlagsTransport {
  /** Requests relative to the base URL, over node:http first and undici's pool after (see RollgateHttp). */
  private readonly http: RollgateHttp;
  private readonly baseHeaders: Readonly<Record<string, string>>;
  private endpoint: "v2" | "v1" = "v2";
  /** When (ms, `now()`) to ask the typed endpoint again after a 404 sent us to v1. */
  private v2RetryAt = Number.NEGATIVE_INFINITY;
  private fellBack = false;
  private readonly lastBody = new DecodedBodyMemo();
  /** Flags requests sent whose answer is not in whole yet. */
  private unanswered = 0;

  constructor(private readonly options: HttpFlagsTransportOptions) {
    // Two connections beyond the flags requests' slots: the stream and event deliveries.
    this.http = new RollgateHttp({ baseUrl: options.baseUrl, dispatcher: options.dispatcher, connections: (options.connections ?? 64) + 2 });
    this.baseHeaders = Object.freeze({
      authorization: `Bearer ${options.apiKey}`,
      accept: "application/json",
      "user-agent": `${SDK_NAME}/${SDK_VERSION}`,
      "x-sdk-name": SDK_NAME,
      "x-sdk-version": SDK_VERSION,
    });
  }

  /** The connection pool, shared with the SSE stream: the caller's dispatcher, or an Agent created once undici is loaded. */
  dispatcher(): Promise<Dispatcher> {
    return this.http.dispatcher();
  }

  /** The headers the SSE stream carries: the same authentication and SDK identification, no Accept (eventsource sets it). */
  get streamHeaders(): Readonly<Record<string, string>> {
    const { accept: _accept, ...headers } = this.baseHeaders;
    return headers;
  }

  /** Which flags endpoint is in use: `v1` for 10 minutes after the v2 path answered 404. */
  get flagsEndpoint(): "v2" | "v1" {
    return this.endpoint;
  }

  async fetchFlags(flagsRequest: FlagsRequest, signal: AbortSignal, answered?: () => void): Promise<FlagsResponse> {
    try {
      // A 404 may have been a deploy or a proxy's moment: the typed endpoint is asked again every
      // V2_RETRY_MS, so one bad answer cannot leave the client on v1 booleans for its life.
      if (this.endpoint === "v1" && this.options.now() >= this.v2RetryAt) this.endpoint = "v2";
      if (this.endpoint === "v2") {
        const response = await this.getFlags(V2_PATH, flagsRequest, signal, answered);
        if (response !== "v2-missing") return response;
        this.endpoint = "v1";
        this.v2RetryAt = this.options.now() + V2_RETRY_MS;
        this.options.logger[this.fellBack ? "debug" : "info"](
          `The server has no typed flags endpoint (v2 answered 404); using v1 booleans, and asking v2 again in ${V2_RETRY_MS / 60_000} minutes.`,
        );
        this.fellBack = true;
        // Keep the ETag: v2 never answered here, so it can only be a v1 ETag cached by an earlier
        // run (and a stale one could cost no more than a full 200).
        return (await this.getFlags(V1_PATH, flagsRequest, signal, answered)) as FlagsResponse;
      }
      return (await this.getFlags(V1_PATH, flagsRequest, signal, answered)) as FlagsResponse;
    } catch (error) {
      throw toTransportError(error, signal);
    }
  }

  async postIdentify(user: RollgateUser, signal: AbortSignal): Promise<void> {
    try {
      const body: { user: { id: string; email?: string; attributes?: RollgateUser["attributes"] } } = { user: { id: user.id } };
      if (user.email !== undefined) body.user.email = user.email;
      if (user.attributes !== undefined) body.user.attributes = user.attributes;
      const response = await this.http.request({
        method: "POST",
        path: IDENTIFY_PATH,
        signal,
        headers: { ...this.baseHeaders, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      // A server without identify sessions is fine (PROTOCOL.md §4.1): flags still carry the context.
      // An accepted body adds nothing: discarded, not decoded (every identify() sends this).
      if (response.statusCode < 300 || response.statusCode === 404 || response.statusCode === 405) {
        await response.body.dump({ limit: 64 * 1024 });
        return;
      }
      const text = await readLimitedBody(response.body, 64 * 1024, `POST ${IDENTIFY_PATH}`);
      throw httpFailureToError(response.statusCode, headerValue(response.headers["retry-after"]), text, this.options.now());
    } catch (error) {
      throw toTransportError(error, signal);
    }
  }

  async postEvents(events: readonly ConversionEvent[], signal: AbortSignal): Promise<void> {
    // The events were built field by field (absent fields left out, timestamps from toISOString),
    // so they serialise to the wire shape of PROTOCOL.md §1.5 as they are.
    await this.postDelivery(EVENTS_PATH, JSON.stringify({ events }), signal);
  }

  async postTelemetry(body: TelemetryBody, signal: AbortSignal): Promise<void> {
    // period_ms must be a whole number (§1.6: the reference server refuses 12.5); rounding here
    // makes that hold whatever clock the period was measured with.
    const wire = { evaluations: body.evaluations, period_ms: Math.max(0, Math.round(body.period_ms)) };
    await this.postDelivery(TELEMETRY_PATH, JSON.stringify(wire), signal);
  }

  /** POSTs an events or telemetry body; any 2xx is success, anything else a typed error. */
  private async postDelivery(path: string, body: string, signal: AbortSignal): Promise<void> {
    try {
      const response = await this.http.request({
        method: "POST",
        path,
        signal,
        headers: { ...this.baseHeaders, "content-type": "application/json" },
        body,
      });
      if (response.statusCode >= 200 && response.statusCode < 300) {
        // Accepted: the body (`{"received":n}`) adds nothing.
        await response.body.dump();
        return;
      }
      // An error body only adds detail: one that is too large must not hide the status.
      const text = await readLimitedBody(response.body, 64 * 1024, `POST ${path}`).catch(() => "");
      throw httpFailureToError(response.statusCode, headerValue(response.headers["retry-after"]), text, this.options.now());
    } catch (error) {
      throw toTransportError(error, signal);
    }
  }

  beginClose(): void {
    this.http.beginClose();
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async getFlags(path: string, flagsRequest: FlagsRequest, signal: AbortSignal, answered: (() => void) | undefined): Promise<FlagsResponse | "v2-missing"> {
    const query: Record<string, string> = {};
    const headers: Record<string, string> = { ...this.baseHeaders };
    const { user, etag } = flagsRequest;
    if (user !== undefined) {
      query.user_id = user.id;
      headers["x-user-context"] = encodeUserContext(user);
    }
    if (path === V1_PATH) query.withReasons = "true";
    if (etag !== undefined) headers["if-none-match"] = etag;
    const source = `GET ${path}`;
    const response = await this.receive({ method: "GET", path, signal, headers, query }, source);
    const { statusCode } = response;
    if (statusCode === 304) {
      answered?.();
      const problem = notModifiedProblem(etag, headerValue(response.headers.etag));
      if (problem !== undefined) throw new PayloadError(source, [{ path: "", message: problem }]);
      return { kind: "not-modified" };
    }
    const { bytes } = response;
    if (statusCode === 404 && path === V2_PATH) return "v2-missing";
    if (statusCode !== 200) {
      throw httpFailureToError(statusCode, headerValue(response.headers["retry-after"]), bytes.toString("utf8"), this.options.now());
    }
    // Flags are in (a failure is recorded only once it settles, and v2's 404 leads to v1 first).
    answered?.();
    // While other flags requests are out, their answers may be waiting to be read: this one is
    // decoded (and applied) in a turn of its own, after them (see nextIoTurn). Alone, at once.
    if (this.unanswered > 0) await nextIoTurn();
    const responseEtag = headerValue(response.headers.etag) ?? undefined;
    // Keyed by endpoint only: decoded flags depend on the bytes alone, so another user served the
    // very same body (same flags, same reasons) shares them too, without parsing them again.
    const memoKey = path;
    const unchanged = this.lastBody.recall(memoKey, bytes);
    if (unchanged !== undefined) return { kind: "updated", flags: unchanged, etag: responseEtag };
    const text = bytes.toString("utf8");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Both are server text: errorDetail redacts before it cuts, so no piece of a credential survives.
      const contentType = errorDetail(headerValue(response.headers["content-type"]) ?? "") ?? "no content type";
      throw new PayloadError(source, [{ path: "", message: `body is not JSON (${contentType}): ${JSON.stringify(errorDetail(text.slice(0, 400)) ?? "")}` }]);
    }
    const flags = path === V2_PATH ? decodeV2Flags(body, source, this.lastBody.lastFlags()) : decodeV1Flags(body, source);
    this.lastBody.remember(memoKey, bytes, flags);
    return { kind: "updated", flags, etag: responseEtag };
  }

  /** Sends one flags request and reads its answer whole (a 304's body is discarded), counted in `unanswered` meanwhile. */
  private async receive(request: Omit<Dispatcher.RequestOptions, "origin">, source: string): Promise<ReceivedAnswer> {
    this.unanswered++;
    try {
      const response = await this.http.request(request);
      if (response.statusCode === 304) {
        await response.body.dump();
        return { statusCode: 304, headers: response.headers, bytes: NO_BYTES };
      }
      const bytes = await readLimitedBytes(response.body, this.options.maxPayloadBytes, source, response.headers["content-length"]);
      return { statusCode: response.statusCode, headers: response.headers, bytes };
    } finally {
      this.unanswered--;
    }
  }
}

/** A flags request's answer, read whole. */
interface ReceivedAnswer {
  readonly statusCode: number;
  readonly headers: Dispatcher.ResponseData["headers"];
  readonly bytes: Buffer;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * A 304 only answers the ETag we sent (RFC 9110 §15.4.5): one to a request without
 * `If-None-Match`, or naming a different ETag, would promote whatever we hold (after a user
 * switch, another user's flags) to fresh server flags. Says why such a 304 is invalid.
 */
function notModifiedProblem(sent: string | undefined, answered: string | null): string | undefined {
  if (sent === undefined) return "HTTP 304 (not modified) to a request sent without If-None-Match: there is nothing it can confirm";
  // Weak comparison (RFC 9110 §8.8.3.2): W/"x" and "x" name the same representation.
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, "");
  if (answered !== null && opaque(answered) !== opaque(sent)) return "HTTP 304 (not modified) naming another ETag than the one we sent";
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
