/** How many requests a fault applies to: a positive whole number, or "all" until cleared. */
export type FaultCount = number | "all";

/** A simulated error status for the flag endpoints or the stream. */
export interface ErrorFault {
  /** The HTTP status to answer, 200–599. A 200 yields the reference server's "200 without flags" quirk (§1.8). */
  readonly status: number;
  /** @default 1 */
  readonly count?: FaultCount;
  /** Sends `Retry-After: <seconds>` (a whole number above 0). The reference server does this for 429 only; here any status may carry it. */
  readonly retryAfter?: number;
  /** Sends `Retry-After` in HTTP-date form instead, e.g. `Wed, 21 Oct 2026 07:28:00 GMT` (PROTOCOL.md §6.8). */
  readonly retryAfterDate?: string | Date;
  /** The `message` of the error body. @default the status text */
  readonly message?: string;
}

/** How to break a 200 flags response (`malformed`). */
export type MalformedKind =
  /** A body that is not JSON at all. */
  | "not-json"
  /** An HTML error page with status 200, as a misconfigured proxy sends. */
  | "html"
  /** A JSON error object without a `flags` key (the reference server's timeout quirk, §1.8). */
  | "no-flags"
  /** `flags` present but with values of the wrong types. */
  | "schema"
  /** Valid-looking JSON larger than 2 MiB. */
  | "oversized";

/** The kinds `malformed` accepts. */
export const MALFORMED_KINDS: readonly MalformedKind[] = ["not-json", "html", "no-flags", "schema", "oversized"];

/**
 * Fault injection on a running server, for testing clients against failure. Flag faults
 * (`failFlags`, `delay`, `malformed`) apply to `/flags` and `/v2/flags`, which share each
 * counter; stream faults apply to `/stream`. Nothing here affects identify, events or telemetry.
 *
 * @example
 * server.faults.failFlags({ status: 503, count: 3, retryAfter: 2 });
 * server.faults.dropStreams();
 * server.faults.clear();
 */
export interface ServerFaultControls {
  /** Answers the next `count` flag requests with a simulated error (checked before authentication, §1.8). */
  failFlags(fault: ErrorFault): void;
  /** Holds the next `count` flag responses for `ms` milliseconds before answering. */
  delay(ms: number, options?: { readonly count?: FaultCount }): void;
  /** Answers the next `count` authenticated flag requests with a broken 200 body. */
  malformed(kind: MalformedKind, options?: { readonly count?: FaultCount }): void;
  /** Ends every open stream now (a clean end of response). */
  dropStreams(): void;
  /** Refuses the next `count` stream connections with an error status (checked before authentication). */
  refuseStreams(fault: ErrorFault): void;
  /**
   * While on, streams are accepted with their headers but get no event and no heartbeat;
   * streams open at that moment fall silent too. Stalled connections stay silent for good.
   */
  stallStreams(on: boolean): void;
  /** Removes every fault (stalled connections stay stalled). */
  clear(): void;
}

/** One fault in force, as `ServerFaults.active()` lists it (the admin API's `/admin/activity`). */
export type ActiveFault =
  | { readonly fault: "failFlags" | "refuseStreams"; readonly status: number; readonly remaining: FaultCount }
  | { readonly fault: "delay"; readonly ms: number; readonly remaining: FaultCount }
  | { readonly fault: "malformed"; readonly kind: MalformedKind; readonly remaining: FaultCount }
  | { readonly fault: "stallStreams" };

interface Counted<T> {
  readonly fault: T;
  remaining: number;
}

function checkCount(count: FaultCount | undefined): number {
  if (count === undefined) return 1;
  if (count === "all") return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`A fault count must be a whole number of at least 1 or "all", got ${String(count)}.`);
  return count;
}

function checkErrorFault(fault: ErrorFault): void {
  if (!Number.isInteger(fault.status) || fault.status < 200 || fault.status > 599) {
    throw new RangeError(`A fault status must be a whole number from 200 to 599, got ${String(fault.status)}.`);
  }
  if (fault.retryAfter !== undefined && (!Number.isInteger(fault.retryAfter) || fault.retryAfter < 1)) {
    throw new RangeError(`retryAfter must be a whole number of seconds above 0, got ${String(fault.retryAfter)}.`);
  }
}

function take<T>(counted: Counted<T> | undefined): T | undefined {
  if (!counted || counted.remaining <= 0) return undefined;
  counted.remaining -= 1;
  return counted.fault;
}

/** The `Retry-After` value a fault asks for, if any. */
export function retryAfterHeader(fault: ErrorFault): string | undefined {
  if (fault.retryAfterDate !== undefined) {
    return fault.retryAfterDate instanceof Date ? fault.retryAfterDate.toUTCString() : fault.retryAfterDate;
  }
  return fault.retryAfter !== undefined && fault.retryAfter > 0 ? String(fault.retryAfter) : undefined;
}

/** The fault state of one server: the public controls plus the `take*` calls its handlers make. */
export class ServerFaults implements ServerFaultControls {
  private flagFailure: Counted<ErrorFault> | undefined;
  private flagDelay: Counted<number> | undefined;
  private flagMalformation: Counted<MalformedKind> | undefined;
  private streamRefusal: Counted<ErrorFault> | undefined;
  private stalled = false;

  /**
   * @param streams ends or silences the open streams.
   * @param onChange called after every change of the faults in force (not on each use of one).
   */
  constructor(
    private readonly streams: { dropAll(): void; stallAll(): void },
    private readonly onChange: () => void = () => {},
  ) {}

  failFlags(fault: ErrorFault): void {
    checkErrorFault(fault);
    this.flagFailure = { fault: { ...fault }, remaining: checkCount(fault.count) };
    this.onChange();
  }

  delay(ms: number, options: { readonly count?: FaultCount } = {}): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`A delay must be a number of milliseconds of at least 0, got ${String(ms)}.`);
    this.flagDelay = { fault: ms, remaining: checkCount(options.count) };
    this.onChange();
  }

  malformed(kind: MalformedKind, options: { readonly count?: FaultCount } = {}): void {
    if (!MALFORMED_KINDS.includes(kind)) throw new RangeError(`Unknown malformed kind ${String(kind)}; use one of ${MALFORMED_KINDS.join(", ")}.`);
    this.flagMalformation = { fault: kind, remaining: checkCount(options.count) };
    this.onChange();
  }

  dropStreams(): void {
    this.streams.dropAll();
  }

  refuseStreams(fault: ErrorFault): void {
    checkErrorFault(fault);
    this.streamRefusal = { fault: { ...fault }, remaining: checkCount(fault.count) };
    this.onChange();
  }

  stallStreams(on: boolean): void {
    this.stalled = on;
    if (on) this.streams.stallAll();
    this.onChange();
  }

  clear(): void {
    this.flagFailure = undefined;
    this.flagDelay = undefined;
    this.flagMalformation = undefined;
    this.streamRefusal = undefined;
    this.stalled = false;
    this.onChange();
  }

  /** The faults in force now, with the uses each has left. */
  active(): readonly ActiveFault[] {
    const faults: ActiveFault[] = [];
    const left = (counted: Counted<unknown> | undefined): FaultCount | undefined =>
      counted && counted.remaining > 0 ? (counted.remaining === Number.POSITIVE_INFINITY ? "all" : counted.remaining) : undefined;
    let remaining = left(this.flagFailure);
    if (this.flagFailure && remaining) faults.push({ fault: "failFlags", status: this.flagFailure.fault.status, remaining });
    remaining = left(this.flagDelay);
    if (this.flagDelay && remaining) faults.push({ fault: "delay", ms: this.flagDelay.fault, remaining });
    remaining = left(this.flagMalformation);
    if (this.flagMalformation && remaining) faults.push({ fault: "malformed", kind: this.flagMalformation.fault, remaining });
    remaining = left(this.streamRefusal);
    if (this.streamRefusal && remaining) faults.push({ fault: "refuseStreams", status: this.streamRefusal.fault.status, remaining });
    if (this.stalled) faults.push({ fault: "stallStreams" });
    return faults;
  }

  /** Whether new stream connections must stall. */
  get streamsStalled(): boolean {
    return this.stalled;
  }

  /** Consumes one use of the flag-error fault, if any is left. */
  takeFlagFailure(): ErrorFault | undefined {
    return take(this.flagFailure);
  }

  /** Consumes one use of the delay fault; 0 when none applies. */
  takeFlagDelay(): number {
    return take(this.flagDelay) ?? 0;
  }

  takeMalformation(): MalformedKind | undefined {
    return take(this.flagMalformation);
  }

  takeStreamRefusal(): ErrorFault | undefined {
    return take(this.streamRefusal);
  }
}
