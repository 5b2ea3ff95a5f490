import type { FlagDefinition } from "../model/flag-model";
import type { Logger } from "../logger/logger";
import type { FlagsFile } from "./flags-file";

/**
 * Options of `startServer`. Every field is optional.
 *
 * @example
 * const server = await startServer({ flagsFile: "examples/flags.json", watch: true, port: 8787 });
 */
export interface ServerOptions {
  /** Interface to listen on. @default "127.0.0.1" */
  readonly host?: string;
  /** TCP port; 0 picks a free one (read it back from `server.port`). @default 0 */
  readonly port?: number;
  /** The API key clients must send (`Authorization: Bearer <key>`, or `token` on the stream). @default "rg_server_local_dev_key" */
  readonly apiKey?: string;
  /** Initial flags, as a flags file or a plain list of definitions. Ignored when `flagsFile` is set. @default no flags */
  readonly flags?: FlagsFile | readonly FlagDefinition[];
  /** Path of a JSON flags file to load (validated; an invalid file makes `startServer` reject). */
  readonly flagsFile?: string;
  /**
   * Largest flags file read, in bytes, at start and on every reload. Only a regular file (or a
   * symlink to one) is read; a FIFO, device or directory at the path is refused at once.
   * @default 33554432 (32 MiB)
   */
  readonly maxFlagsFileBytes?: number;
  /**
   * Write changes made through the admin API (and so the page at `/`) back to `flagsFile`,
   * atomically (a temporary file renamed over it). Off, they live in memory until the server
   * stops. Changes made with `setFlag` and the like are not written. @default false
   */
  readonly writeFlagsFile?: boolean;
  /** Reload `flagsFile` when it changes on disk, pushing `flag-changed` for what changed. An invalid edit is logged and the old flags kept. @default false */
  readonly watch?: boolean;
  /**
   * Serve the `/admin` API and the page at `/` (which uses it). False makes both unknown paths
   * (404): worth it whenever the server listens on an address other hosts can reach. @default true
   */
  readonly admin?: boolean;
  /** Token for the `/admin` API (`Authorization: Bearer <token>`). @default a random token, readable as `server.adminToken` */
  readonly adminToken?: string;
  /** Seconds between `:` heartbeat comments on each stream (fractions allowed); 0 disables them. @default 15 */
  readonly heartbeatInterval?: number;
  /** Serve `/api/v1/sdk/v2/flags`; false answers 404 there, like an older server. @default true */
  readonly v2?: boolean;
  /** Add an ETag over the v2 body and answer 304 to an exact If-None-Match, as production may (PROTOCOL.md §6.5). The reference server does not. @default false */
  readonly v2ETag?: boolean;
  /** Largest accepted request body in bytes; larger ones get 413. @default 1048576 (1 MiB) */
  readonly maxBodyBytes?: number;
  /**
   * Log one line per request at info when it ends: method, path (never the query), status and
   * milliseconds, e.g. `GET /api/v1/sdk/flags 200 1.4 ms`. Headers are never logged. @default false
   */
  readonly logRequests?: boolean;
  /** Receives the server's messages (reload results, handler failures). @default defaultLogger (warnings and errors to stderr) */
  readonly logger?: Partial<Logger>;
  /**
   * Entries kept in each list of `server.received` (requests, identifies, events, telemetry);
   * the oldest are dropped first and counted in `received.dropped`. @default 10000
   */
  readonly maxReceivedEntries?: number;
  /**
   * Bytes kept in each list of `server.received`, counted as the text received (a request's
   * path, query and logged headers; a body's length, shared among a batch's events). An entry
   * larger than this is not kept, only counted. @default 4194304 (4 MiB)
   */
  readonly maxReceivedBytes?: number;
  /** `/identify` sessions kept; the least recently stored or used is forgotten first. @default 10000 */
  readonly maxSessions?: number;
  /** Bytes of session attributes kept (as JSON text); a larger identify stores nothing. @default 4194304 (4 MiB) */
  readonly maxSessionBytes?: number;
  /** Open SSE streams allowed; a connect beyond it gets 503 with `Retry-After: 5`. @default 500 */
  readonly maxStreams?: number;
}

/** Defaults of `ServerOptions`. */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  host: "127.0.0.1",
  port: 0,
  apiKey: "rg_server_local_dev_key",
  watch: false,
  writeFlagsFile: false,
  admin: true,
  logRequests: false,
  heartbeatInterval: 15,
  v2: true,
  v2ETag: false,
  maxBodyBytes: 1024 * 1024,
  maxFlagsFileBytes: 32 * 1024 * 1024,
  maxReceivedEntries: 10_000,
  maxReceivedBytes: 4 * 1024 * 1024,
  maxSessions: 10_000,
  maxSessionBytes: 4 * 1024 * 1024,
  maxStreams: 500,
});
