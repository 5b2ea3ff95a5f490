import { EventSource, type ErrorEvent, type FetchLike, type FetchLikeResponse } from "eventsource";
import { asyncScheduler, Observable, type SchedulerLike } from "rxjs";
import { fetch as undiciFetch, type Dispatcher } from "undici";
import { NetworkError, PayloadError, RollgateError, TimeoutError } from "../errors";
import { OPTION_DEFAULTS } from "../options/option-defaults";
import { httpFailureToError } from "../resilience/classify-failure";
import { errorDetail } from "../resilience/error-detail";
import { SseEventBound } from "./sse-event-bound";
import type { SseSignal } from "./sse-signal";

/**
 * Every event name rollgate listens for (PROTOCOL.md §2.3). `eventsource` dispatches a named
 * event only to listeners of that exact name, so a name missing here is silently dropped.
 */
export const SSE_EVENT_NAMES: readonly string[] = Object.freeze([
  "init",
  "flags",
  "flag-changed",
  "flag-update",
  "rules-full",
  "message",
]);

/** One shared, frozen signal: activity is reported per chunk, so it should not allocate. */
const ACTIVITY: SseSignal = Object.freeze({ type: "activity" });

/** What one event (or line) may weigh when the caller does not say: the client's default `maxPayloadBytes`. */
const DEFAULT_MAX_EVENT_BYTES = OPTION_DEFAULTS.maxPayloadBytes;

/** Error bodies are read for their message only; more than this is not worth buffering. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Options of {@link openSseConnection}. */
export interface SseConnectionOptions {
  /** The full stream URL, e.g. `https://api.rollgate.io/api/v1/sdk/stream?token=…&user_id=…`. */
  readonly url: string;
  /** Sent on the request, e.g. `Authorization`. `eventsource` adds `Accept` and `Last-Event-ID`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The undici dispatcher (connection pool) to share with the HTTP transport. @default undici's global dispatcher */
  readonly dispatcher?: Dispatcher;
  /**
   * Milliseconds to wait for the server to answer with an event stream before failing with a
   * `TimeoutError`. Once open, silence is `reconnectingStream`'s `readTimeout` business.
   * @default 5000 (the client's default `timeout`)
   */
  readonly connectTimeoutMs?: number;
  /**
   * The most bytes one line or one event may hold (after any `Content-Encoding` is decoded).
   * Past it the connection fails with a `PayloadError`, before the parser buffers more.
   * The client passes its `maxPayloadBytes`: an event may carry the whole flag set, like a body.
   * @default 16777216 (16 MiB), `maxPayloadBytes` default
   */
  readonly maxEventBytes?: number;
  /** Runs the connect timeout and supplies `now()` for `Retry-After` dates. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/**
 * Opens one Server-Sent Events connection per subscription and reports it as signals.
 *
 * The connection is single-shot (STYLE.md point 5): on any failure (network error, a
 * non-200 status, a wrong content type, the server ending the stream, the connect timeout)
 * the `EventSource` is closed at once, so its own fixed-delay reconnect never runs, and the
 * observable errors with a typed {@link RollgateError}:
 *
 * - a non-200 status: `httpFailureToError` (401/403 `AuthenticationError`, 429
 *   `RateLimitError`, 408/5xx `ServerError`, other `RequestError`), with `Retry-After` read;
 * - `Content-Type` other than `text/event-stream`: `PayloadError`;
 * - a line or an event larger than `maxEventBytes`: `PayloadError`, without buffering it;
 * - network failure, or the server ending the stream: `NetworkError` ("the event stream ended").
 *
 * It never completes. Unsubscribing closes the connection. Reconnection is the caller's job
 * (see `reconnectingStream`). Error messages never contain the API key, even though the
 * stream URL carries it as `token` (PROTOCOL.md §2.1).
 *
 * @example
 * openSseConnection({
 *   url: `${baseUrl}/api/v1/sdk/stream?token=${encodeURIComponent(apiKey)}`,
 *   headers: { Authorization: `Bearer ${apiKey}` },
 * }).subscribe({ next: (signal) => handle(signal), error: (e) => report(e) });
 */
export function openSseConnection(options: SseConnectionOptions): Observable<SseSignal> {
  const { url, headers, dispatcher, connectTimeoutMs = 5000, maxEventBytes = DEFAULT_MAX_EVENT_BYTES, scheduler = asyncScheduler } = options;
  const secrets = secretsIn(url, headers);

  return new Observable<SseSignal>((subscriber) => {
    // Set by our fetch when the server answered but not with an event stream; eventsource's
    // ErrorEvent then carries only the status, and this keeps the body and Retry-After.
    let failure: RollgateError | undefined;

    const noteActivity = (): void => subscriber.next(ACTIVITY);

    const fetchStream: FetchLike = async (requestUrl, init) => {
      const response = await undiciFetch(requestUrl, {
        method: "GET",
        headers: { ...headers, ...init.headers },
        signal: init.signal,
        redirect: init.redirect,
        ...(dispatcher === undefined ? {} : { dispatcher }),
      });
      const answer = { url: response.url, status: response.status, redirected: response.redirected, headers: response.headers };
      if (response.status !== 200) {
        const body = await readBounded(response.body, MAX_ERROR_BODY_BYTES);
        failure = httpFailureToError(response.status, response.headers.get("retry-after"), redact(body, secrets), scheduler.now());
        return { ...answer, body: null };
      }
      const contentType = response.headers.get("content-type") ?? "";
      if (!contentType.startsWith("text/event-stream")) {
        // Server text: quoted only through errorDetail (redacted, one line, bounded).
        await response.body?.cancel().catch(() => undefined);
        failure = new PayloadError("GET /api/v1/sdk/stream", [
          { path: "", message: `expected Content-Type text/event-stream, got ${errorDetail(contentType) ?? "none"}` },
        ]);
        return { ...answer, body: null };
      }
      if (response.body === null) return { ...answer, body: null };
      const bound = new SseEventBound(maxEventBytes);
      const tooLarge = (): void => {
        failure = new PayloadError("GET /api/v1/sdk/stream", [
          { path: "", message: `an event or line larger than the ${maxEventBytes}-byte limit (maxPayloadBytes)` },
        ]);
      };
      return { ...answer, body: guardedReader(response.body, noteActivity, bound, tooLarge) };
    };

    let source: EventSource;
    try {
      source = new EventSource(url, { fetch: fetchStream });
    } catch (cause) {
      subscriber.error(new NetworkError("the stream URL is not a valid URL", { cause }));
      return undefined;
    }

    const connectTimer = scheduler.schedule(() => {
      source.close();
      subscriber.error(new TimeoutError(connectTimeoutMs / 1000));
    }, connectTimeoutMs);

    source.addEventListener("open", () => {
      connectTimer.unsubscribe();
      subscriber.next({ type: "open" });
    });
    const onEvent = (message: MessageEvent): void => {
      subscriber.next({ type: "event", event: message.type, data: String(message.data) });
    };
    for (const name of SSE_EVENT_NAMES) source.addEventListener(name, onEvent);
    source.addEventListener("error", (event: ErrorEvent) => {
      // Close at once, so that its own reconnect can never run. On a network error or the
      // end of the stream, eventsource arms its reconnect timer (a raw 3 s setTimeout) right
      // *after* dispatching this event; close() only clears a timer that exists, so close
      // again once the dispatch is over, or that timer would keep the process alive for 3 s.
      source.close();
      queueMicrotask(() => source.close());
      connectTimer.unsubscribe();
      subscriber.error(failure ?? errorFromEvent(event, secrets, scheduler));
    });

    return () => {
      connectTimer.unsubscribe();
      source.close();
    };
  });
}

function errorFromEvent(event: ErrorEvent, secrets: readonly string[], scheduler: SchedulerLike): RollgateError {
  // A status without a recorded failure cannot normally happen (our fetch records every
  // non-200), but eventsource also fails on 204 after its own checks.
  if (typeof event.code === "number" && event.code !== 200) {
    return httpFailureToError(event.code, null, "", scheduler.now());
  }
  // eventsource reports a clean end of stream as an error without a message.
  if (event.message === undefined || event.message === "") return new NetworkError("the event stream ended");
  return new NetworkError(errorDetail(redact(event.message, secrets)) ?? "the event stream failed");
}

type ReadResult = { done: false; value: Uint8Array } | { done: true; value: undefined };

/**
 * Hands eventsource a reader that reports every chunk, and checks it against the event bound,
 * before eventsource parses it. Past the bound it cancels the response and reports the end of
 * the stream, so the chunk is never parsed and eventsource fails the connection (with the
 * failure `onTooLarge` recorded). Cheaper than a TransformStream (one extra promise reaction
 * per chunk, no extra queue).
 */
function guardedReader(body: ReadableStream<Uint8Array>, onChunk: () => void, bound: SseEventBound, onTooLarge: () => void): FetchLikeResponse["body"] {
  return {
    getReader() {
      const reader = body.getReader();
      return {
        read: () =>
          reader.read().then((result): ReadResult | Promise<ReadResult> => {
            if (result.done) return { done: true, value: undefined };
            if (!bound.accepts(result.value)) {
              onTooLarge();
              return reader.cancel().then(
                () => ({ done: true, value: undefined }),
                () => ({ done: true, value: undefined }),
              );
            }
            onChunk();
            return result;
          }),
        cancel: () => reader.cancel(),
      };
    },
  };
}

async function readBounded(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (body === null) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (bytes >= maxBytes) {
        await reader.cancel();
        break;
      }
    }
  } catch {
    // An error body that breaks off midway still classifies by its status.
  }
  return text + decoder.decode();
}

/** The API key travels in the URL (`token`) and in `Authorization`; neither may leak into errors. */
function secretsIn(url: string, headers: Readonly<Record<string, string>>): readonly string[] {
  const secrets: string[] = [];
  try {
    const token = new URL(url).searchParams.get("token");
    if (token) secrets.push(token, encodeURIComponent(token));
  } catch {
    // An invalid URL fails in the EventSource constructor, with a message that omits it.
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === "authorization" && value !== "") {
      secrets.push(value, value.replace(/^Bearer\s+/i, ""));
    }
  }
  return secrets.filter((secret) => secret.length > 0);
}

function redact(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) clean = clean.split(secret).join("[redacted]");
  return clean;
}
