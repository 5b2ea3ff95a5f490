import type { EvaluationUser, JsonValue } from "../evaluation/flag-model";

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

const LOGGED_HEADERS = ["if-none-match", "x-user-context", "x-user-id", "user-agent", "x-sdk-name", "x-sdk-version", "accept"] as const;

/**
 * What the server received, for tests to assert on, plus a way to wait for it without
 * polling: every change re-checks the pending `waitFor` predicates.
 */
export class ReceivedLog {
  readonly requests: ReceivedRequest[] = [];
  readonly identifies: ReceivedIdentify[] = [];
  readonly events: ReceivedEvent[] = [];
  readonly telemetry: ReceivedTelemetry[] = [];
  private nextSeq = 1;
  private readonly waiters = new Set<{ check(): void; abort(reason: Error): void }>();

  /** Logs a request at arrival; the returned function records its status. */
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
    const selected: Record<string, string | boolean> = { authorization: headers["authorization"] !== undefined };
    for (const name of LOGGED_HEADERS) {
      const value = headers[name];
      if (value !== undefined) selected[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const entry: MutableRequest = {
      seq: this.nextSeq++,
      method,
      path,
      query: queryRecord,
      headers: selected as unknown as ReceivedRequestHeaders,
      status: undefined,
    };
    this.requests.push(entry);
    this.changed();
    return (status) => {
      entry.status = status;
      this.changed();
    };
  }

  recordIdentify(identify: ReceivedIdentify): void {
    this.identifies.push(identify);
    this.changed();
  }

  recordEvents(events: readonly ReceivedEvent[]): void {
    this.events.push(...events);
    this.changed();
  }

  recordTelemetry(telemetry: ReceivedTelemetry): void {
    this.telemetry.push(telemetry);
    this.changed();
  }

  /** Empties every list (sequence numbers keep increasing). */
  clear(): void {
    this.requests.length = 0;
    this.identifies.length = 0;
    this.events.length = 0;
    this.telemetry.length = 0;
    this.changed();
  }

  /** Re-checks pending waiters; called on every change the server makes or observes. */
  changed(): void {
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
