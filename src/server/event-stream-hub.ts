import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { FlagChange } from "./flag-store";
import { encodeGoString } from "./go-json";

/** Who opened a stream, for the page's list of connected clients. */
export interface StreamClientInfo {
  /** The `user_id` the stream is evaluated for; "" for anonymous. */
  readonly userId: string;
  /** `X-SDK-Name`/`X-SDK-Version` or the user agent, when sent. */
  readonly sdk?: string;
}

/** An open stream as the admin API lists it. */
export interface StreamClient extends StreamClientInfo {
  /** Milliseconds since it opened. */
  readonly ageMs: number;
  /** Whether a stall fault silenced it. */
  readonly stalled: boolean;
}

/** A stream connection: its response, whether it was stalled by a fault, and who opened it when. */
interface StreamConnection {
  readonly response: ServerResponse;
  stalled: boolean;
  readonly info: StreamClientInfo;
  /** `performance.now()` when it opened. */
  readonly openedAt: number;
}

/**
 * A client that does not read its stream must not make the server buffer without bound: past
 * this much unsent data the connection is cut (the reference server drops events instead, §2.2).
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** The text of one SSE event as the reference server frames it: one `event:` line, one `data:` line (§2.2). */
export function formatSseEvent(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/** The `flag-changed` payload: `{"enabled":bool,"key":string}` (keys sorted as Go writes a map). */
export function flagChangedData(change: FlagChange): string {
  return `{"enabled":${change.enabled},"key":${encodeGoString(change.key)}}`;
}

/**
 * The open SSE connections: broadcasts `flag-changed` events, writes a `:` comment line every
 * heartbeat interval (one shared, unref'd timer, running only while streams are open), and
 * ends them on demand.
 */
export class EventStreamHub {
  private readonly connections = new Set<StreamConnection>();
  private heartbeat: NodeJS.Timeout | undefined;

  /**
   * @param heartbeatMs milliseconds between heartbeat comments; 0 disables them.
   * @param onCountChange called whenever a connection opens or closes.
   */
  constructor(
    private readonly heartbeatMs: number,
    private readonly onCountChange: () => void,
  ) {}

  /** Open connections. */
  get count(): number {
    return this.connections.size;
  }

  /**
   * Adopts a response whose SSE head was written: sends `initEvent` unless stalled and keeps
   * the connection until the client leaves or the server ends it.
   */
  open(response: ServerResponse, initEvent: string, stalled: boolean, info: StreamClientInfo = { userId: "" }): void {
    // A real clock: the server has no scheduler, and the age is only shown to a human.
    const connection: StreamConnection = { response, stalled, info, openedAt: performance.now() };
    this.connections.add(connection);
    response.on("close", () => {
      if (this.connections.delete(connection)) {
        this.updateHeartbeat();
        this.onCountChange();
      }
    });
    this.write(connection, initEvent);
    this.updateHeartbeat();
    this.onCountChange();
  }

  /** The oldest `limit` open streams, oldest first. */
  clients(limit: number): readonly StreamClient[] {
    const now = performance.now();
    const clients: StreamClient[] = [];
    for (const connection of this.connections) {
      if (clients.length >= limit) break;
      clients.push({ ...connection.info, ageMs: Math.round(now - connection.openedAt), stalled: connection.stalled });
    }
    return clients;
  }

  /** Sends one `flag-changed` event per change to every live connection. */
  broadcast(changes: readonly FlagChange[]): void {
    if (this.connections.size === 0 || changes.length === 0) return;
    let text = "";
    for (const change of changes) text += formatSseEvent("flag-changed", flagChangedData(change));
    for (const connection of this.connections) this.write(connection, text);
  }

  /** Ends every open stream cleanly. */
  dropAll(): void {
    for (const connection of [...this.connections]) connection.response.end();
  }

  /** Silences every open stream for good (a black-holed connection). */
  stallAll(): void {
    for (const connection of this.connections) connection.stalled = true;
  }

  /** Ends every stream and stops the heartbeat (server shutdown). */
  closeAll(): void {
    for (const connection of [...this.connections]) connection.response.destroy();
    this.connections.clear();
    this.updateHeartbeat();
  }

  private write(connection: StreamConnection, text: string): void {
    const { response } = connection;
    if (connection.stalled || response.writableEnded || response.destroyed) return;
    response.write(text);
    if (response.writableLength > MAX_BUFFERED_BYTES) response.destroy();
  }

  private updateHeartbeat(): void {
    if (this.heartbeatMs > 0 && this.connections.size > 0) {
      if (this.heartbeat) return;
      this.heartbeat = setInterval(() => {
        for (const connection of this.connections) this.write(connection, ": heartbeat\n\n");
      }, this.heartbeatMs);
      // A heartbeat alone must never keep the process alive.
      this.heartbeat.unref();
    } else if (this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }
}
