import { performance } from "node:perf_hooks";
import type { EvaluationUser, JsonValue } from "../model/flag-model";
import { BoundedList } from "./bounded-list";
import { DEFAULT_SERVER_OPTIONS } from "./server-options";

/** The request headers the log keeps. The API key itself is never stored. */
export interface ReceivedRequestHeaders {
  /** Whether an `Authorization` header was present (its value is never stored). */
  readonly authorization: boolean;
  readonly "if-none-match"?: string;
  readonly "x-user-context"?: string;
  readonly "x-user-id"?: string;
  readonly "user-agent"?: string;
  readonly "x-sdk-name"?: string;
  readonly "x-sdk-version"?: string;
  readonly accept?: string;
}

/** One request the server received, in arrival order. */
export interface ReceivedRequest {
  /** Monotonic across the server's life (not reset by `clearReceived()`). */
  readonly seq: number;
  readonly method: string;
  /** The path without the query string, e.g. `/api/v1/sdk/flags`. */
  readonly path: string;
  /** First value of each query parameter; `token` is replaced by `"<redacted>"`. */
  readonly query: Readonly<Record<string, string>>;
  readonly headers: ReceivedRequestHeaders;
  /** The response status once the head was written; undefined while pending (e.g. a delay fault). */
  readonly status: number | undefined;
}

/** One `POST /identify` that passed authentication. */
export interface ReceivedIdentify {
  /** The user as the reference server decodes it; null when the body had no usable user (nothing stored). */
  readonly user: EvaluationUser | null;
  /** The parsed body; undefined when it was not JSON. */
  readonly body: JsonValue | undefined;
}

/** One accepted `POST /telemetry` body. */
export interface ReceivedTelemetry {
  readonly evaluations: Readonly<Record<string, { readonly total: number; readonly true: number; readonly false: number }>>;
  readonly period_ms: number;
}

/** An accepted conversion event, as sent (PROTOCOL.md §1.5). */
export type ReceivedEvent = Readonly<Record<string, JsonValue>>;

interface MutableRequest extends ReceivedRequest {
  status: number | undefined;
}

/** How many entries each list of the log dropped (oldest first) to stay within its bounds. */
export interface ReceivedDropped {
  readonly requests: number;
  readonly identifies: number;
  readonly events: number;
  readonly telemetry: number;
}

/** The bounds of each list of the log (see `ServerOptions.maxReceivedEntries`, `maxReceivedBytes`). */
export interface ReceivedLogBounds {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

const DEFAULT_BOUNDS: ReceivedLogBounds = {
  maxEntries: DEFAULT_SERVER_OPTIONS.maxReceivedEntries,
  maxBytes: DEFAULT_SERVER_OPTIONS.maxReceivedBytes,
};

/** What a stored request costs besides its strings: the entry, its objects and the sequence number. */
const REQUEST_OVERHEAD_BYTES = 200;

const LOGGED_HEADERS = ["if-none-match", "x-user-context", "x-user-id", "user-agent", "x-sdk-name", "x-sdk-version", "accept"] as const;

/**
 * What the server received, for tests to assert on, plus a way to wait for it without
 * polling: every change re-checks the pending `waitFor` predicates. Each list keeps only its
 * newest entries within `bounds` (sizes counted as the text received), counting what it drops,
 * and requests that do not carry the API key are only counted: a server reachable from the
 * network must not grow with what anyone sends it.
 */
export class ReceivedLog {
  private readonly requestList: BoundedList<ReceivedRequest>;
  private readonly identifyList: BoundedList<ReceivedIdentify>;
  private readonly eventList: BoundedList<ReceivedEvent>;
  private readonly telemetryList: BoundedList<ReceivedTelemetry>;
  private unauthenticatedCount = 0;
  private nextSeq = 1;
  private changes = 0;
  /** `performance.now()` at each kept request's arrival; entries go with the requests. */
  private readonly arrivals = new WeakMap<ReceivedRequest, number>();
  private readonly waiters = new Set<{ check(): void; abort(reason: Error): void }>();

  constructor({ maxEntries, maxBytes }: ReceivedLogBounds = DEFAULT_BOUNDS) {
    this.requestList = new BoundedList(maxEntries, maxBytes);
    this.identifyList = new BoundedList(maxEntries, maxBytes);
    this.eventList = new BoundedList(maxEntries, maxBytes);
    this.telemetryList = new BoundedList(maxEntries, maxBytes);
  }

  /** The newest requests that carried the API key, in arrival order. */
  get requests(): readonly ReceivedRequest[] {
    return this.requestList.items;
  }

  get identifies(): readonly ReceivedIdentify[] {
    return this.identifyList.items;
  }

  get events(): readonly ReceivedEvent[] {
    return this.eventList.items;
  }

  get telemetry(): readonly ReceivedTelemetry[] {
    return this.telemetryList.items;
  }

  /** Entries each list dropped since the start or the last `clear()`. */
  get dropped(): ReceivedDropped {
    return {
      requests: this.requestList.dropped,
      identifies: this.identifyList.dropped,
      events: this.eventList.dropped,
      telemetry: this.telemetryList.dropped,
    };
  }

  /** Requests counted but not recorded because they did not carry the API key. */
  get unauthenticated(): number {
    return this.unauthenticatedCount;
  }

  /** How many times `changed()` was called: grows with every change the server makes or observes. */
  get changeCount(): number {
    return this.changes;
  }

  /** Milliseconds since a kept request arrived. */
  ageOf(request: ReceivedRequest): number | undefined {
    const arrival = this.arrivals.get(request);
    // A real clock: the server has no scheduler, and the age is only shown to a human.
    return arrival === undefined ? undefined : Math.round(performance.now() - arrival);
  }

  /** Counts a request that did not carry the API key (nothing of it is kept). */
  countUnauthenticated(): void {
    this.unauthenticatedCount += 1;
    this.changed();
  }

  /** Logs a request that carried the API key, at arrival; the returned function records its status. */
  recordRequest(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ): (status: number) => void {
    const queryRecord: Record<string, string> = {};
    for (const [name, value] of query) {
      if (!Object.hasOwn(queryRecord, name)) queryRecord[name] = name === "token" ? "<redacted>" : value;
    }
    let size = REQUEST_OVERHEAD_BYTES + method.length + path.length;
    for (const [name, value] of Object.entries(queryRecord)) size += name.length + value.length;
    const selected: Record<string, string | boolean> = { authorization: headers["authorization"] !== undefined };
    for (const name of LOGGED_HEADERS) {
      const value = headers[name];
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(", ") : value;
      selected[name] = text;
      size += name.length + text.length;
    }
    const entry: MutableRequest = {
      seq: this.nextSeq++,
      method,
      path,
      query: queryRecord,
      headers: selected as unknown as ReceivedRequestHeaders,
      status: undefined,
    };
    this.arrivals.set(entry, performance.now());
    this.requestList.push([entry], size);
    this.changed();
    return (status) => {
      entry.status = status;
      this.changed();
    };
  }

  /** @param bodyBytes the length of the body it was decoded from. */
  recordIdentify(identify: ReceivedIdentify, bodyBytes: number): void {
    this.identifyList.push([identify], bodyBytes);
    this.changed();
  }

  /** @param bodyBytes the length of the batch's body, shared evenly among its events. */
  recordEvents(events: readonly ReceivedEvent[], bodyBytes: number): void {
    if (events.length === 0) return;
    this.eventList.push(events, Math.ceil(bodyBytes / events.length));
    this.changed();
  }

  /** @param bodyBytes the length of the body it was decoded from. */
  recordTelemetry(telemetry: ReceivedTelemetry, bodyBytes: number): void {
    this.telemetryList.push([telemetry], bodyBytes);
    this.changed();
  }

  /** Empties every list and resets the counts (sequence numbers keep increasing). */
  clear(): void {
    this.requestList.clear();
    this.identifyList.clear();
    this.eventList.clear();
    this.telemetryList.clear();
    this.unauthenticatedCount = 0;
    this.changed();
  }

  /** Re-checks pending waiters; called on every change the server makes or observes. */
  changed(): void {
    this.changes += 1;
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /**
   * Resolves once `predicate()` is true, checking now and after every change; rejects after
   * `timeoutMs` (a real timer, cleared on settle) or when `abortAll` is called.
   */
  waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        if (error) reject(error);
        else resolve();
      };
      const waiter = {
        check: () => {
          let satisfied: boolean;
          try {
            satisfied = predicate();
          } catch (error) {
            settle(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (satisfied) settle();
        },
        abort: (reason: Error) => settle(reason),
      };
      const timer = setTimeout(() => settle(new Error(`waitFor: the condition was still false after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  /** Rejects every pending `waitFor` (used by `close()`). */
  abortAll(reason: Error): void {
    for (const waiter of [...this.waiters]) waiter.abort(reason);
  }
}
