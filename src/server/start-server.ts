import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RollgateConfigError } from "../errors";
import type { FlagDefinition, SegmentDefinition } from "../model/flag-model";
import { containLogger } from "../logger/adapt-logger";
import { defaultLogger } from "../logger/logger";
import { EventStreamHub } from "./event-stream-hub";
import type { FlagChange } from "./flag-store";
import { FlagStore } from "./flag-store";
import { parseFlagDefinition, parseFlagsFile, parseSegmentDefinition, type FlagsFile } from "./flags-file";
import { FlagsFileWriter } from "./flags-file-writer";
import { readFlagsFile } from "./read-flags-file";
import type { FlagsFileWatch } from "./flags-file-watcher";
import { watchFileForReloads } from "./watch-file-for-reloads";
import { IdentifySessions } from "./identify-sessions";
import type { ReceivedDropped, ReceivedEvent, ReceivedIdentify, ReceivedRequest, ReceivedTelemetry } from "./received-log";
import { ReceivedLog } from "./received-log";
import { isLoopbackAddress } from "./is-loopback-address";
import { regexBudgetWarnings } from "./regex-budget-warnings";
import { createRequestListener } from "./request-router";
import type { ServerContext } from "./server-context";
import { ServerFaults, type ServerFaultControls } from "./server-faults";
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from "./server-options";

/**
 * What the server has received since it started (or since `clearReceived()`): the newest
 * entries of each kind, within `maxReceivedEntries` and `maxReceivedBytes` per list.
 */
export interface ReceivedTraffic {
  /** Every non-admin request that carried the API key (header, or `token` for the stream), in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Every authenticated `POST /identify`. */
  readonly identifies: readonly ReceivedIdentify[];
  /** Every event of every accepted `POST /events` batch, in order. */
  readonly events: readonly ReceivedEvent[];
  /** Every accepted `POST /telemetry` body. */
  readonly telemetry: readonly ReceivedTelemetry[];
  /** How many entries each list dropped, oldest first, to stay within its bounds. */
  readonly dropped: ReceivedDropped;
  /** Non-admin requests without the API key (401s, probes, `/health` without a key): counted, never recorded. */
  readonly unauthenticated: number;
}

/**
 * A running local Rollgate server (see `startServer`).
 *
 * @example
 * await using server = await startServer({ flags: [{ key: "new-feature", enabled: true, rolloutPercentage: 100 }] });
 * server.setFlag({ key: "new-feature", enabled: false }); // pushes flag-changed to streams
 * await server.waitFor((s) => s.received.identifies.length === 1);
 */
export interface RollgateServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:53211` (no trailing slash). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The API key clients must send. */
  readonly apiKey: string;
  /** The token of the `/admin` API. */
  readonly adminToken: string;
  /** Fault injection. */
  readonly faults: ServerFaultControls;
  /** Requests, identifies, events and telemetry received, for assertions. */
  readonly received: ReceivedTraffic;
  /** Open SSE connections. */
  readonly streamCount: number;
  /** The current definition of a flag. */
  getFlag(key: string): FlagDefinition | undefined;
  /** Every flag and segment, as a flags file. */
  getFlags(): FlagsFile;
  /** Adds or replaces a flag (validated). Returns the keys that changed: none for an identical definition. */
  setFlag(definition: FlagDefinition): readonly string[];
  /** Removes a flag; streams get `flag-changed` with `enabled: false`. Returns the keys that changed. */
  deleteFlag(key: string): readonly string[];
  /** Replaces every flag and segment (validated), pushing changes only for what differs. */
  replaceFlags(flags: FlagsFile | readonly FlagDefinition[]): readonly string[];
  /** Adds or replaces a segment (validated); every flag referencing it changes. */
  setSegment(id: string, definition: SegmentDefinition): readonly string[];
  /** Removes a segment; every flag referencing it changes. */
  deleteSegment(id: string): readonly string[];
  /** Empties `received` (request sequence numbers keep increasing). */
  clearReceived(): void;
  /** Forgets every `/identify` session. */
  clearSessions(): void;
  /**
   * Resolves once `predicate(server)` holds, re-checking after every request, body, stream
   * and flag change; rejects after `timeoutMs` or when the server closes.
   * @param timeoutMs @default 5000
   */
  waitFor(predicate: (server: RollgateServer) => boolean, timeoutMs?: number): Promise<void>;
  /** Ends every stream and connection and stops the file watch. Idempotent. */
  close(): Promise<void>;
}

function keysOf(changes: readonly FlagChange[]): readonly string[] {
  return changes.map((change) => change.key);
}

function asFlagsFile(flags: FlagsFile | readonly FlagDefinition[]): unknown {
  return Array.isArray(flags) ? { flags } : flags;
}

function checkOptions(options: ServerOptions): void {
  const { port, apiKey, heartbeatInterval, maxBodyBytes } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new RollgateConfigError("port", `port must be a whole number from 0 to 65535, got ${String(port)}.`);
  }
  if (apiKey !== undefined && (typeof apiKey !== "string" || apiKey === "")) {
    throw new RollgateConfigError("apiKey", "apiKey must be a non-empty string.");
  }
  if (heartbeatInterval !== undefined && (!Number.isFinite(heartbeatInterval) || heartbeatInterval < 0)) {
    throw new RollgateConfigError("heartbeatInterval", `heartbeatInterval must be a number of seconds, at least 0, got ${String(heartbeatInterval)}.`);
  }
  if (maxBodyBytes !== undefined && (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1)) {
    throw new RollgateConfigError("maxBodyBytes", `maxBodyBytes must be a whole number of bytes above 0, got ${String(maxBodyBytes)}.`);
  }
  for (const option of ["maxFlagsFileBytes", "maxReceivedEntries", "maxReceivedBytes", "maxSessions", "maxSessionBytes", "maxStreams"] as const) {
    const value = options[option];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new RollgateConfigError(option, `${option} must be a whole number above 0, got ${String(value)}.`);
    }
  }
  if (options.watch && options.flagsFile === undefined) {
    throw new RollgateConfigError("watch", "watch needs flagsFile: there is no file to watch.");
  }
  if (options.writeFlagsFile && options.flagsFile === undefined) {
    throw new RollgateConfigError("writeFlagsFile", "writeFlagsFile needs flagsFile: there is no file to write changes to.");
  }
  if (options.adminToken !== undefined && options.adminToken === "") {
    throw new RollgateConfigError("adminToken", "adminToken must not be empty.");
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/**
 * Starts a local Rollgate-compatible server (PROTOCOL.md §4.5): v1 flags with ETag/304, v2
 * flags, the SSE stream, identify sessions, events, telemetry, the `/admin` API and fault
 * injection. Rejects with a `FlagsFileError` for an invalid flags file, with a
 * `RollgateConfigError` for invalid options, or with the listen error (e.g. `EADDRINUSE`).
 *
 * @example
 * import { startServer } from "rollgate/server";
 * const server = await startServer({ flagsFile: "examples/flags.json" });
 * const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url });
 * // ...
 * await server.close();
 */
export async function startServer(options: ServerOptions = {}): Promise<RollgateServer> {
  checkOptions(options);
  const settings = { ...DEFAULT_SERVER_OPTIONS, ...stripUndefined(options) };
  const logger = containLogger(options.logger ?? defaultLogger);
  const initial =
    options.flagsFile !== undefined
      ? await readFlagsFile(options.flagsFile, { maxBytes: settings.maxFlagsFileBytes })
      : parseFlagsFile(asFlagsFile(options.flags ?? []), "flags option");

  const received = new ReceivedLog({ maxEntries: settings.maxReceivedEntries, maxBytes: settings.maxReceivedBytes });
  const store = new FlagStore(initial);
  const streams = new EventStreamHub(settings.heartbeatInterval * 1000, () => received.changed());
  const faults = new ServerFaults({ dropAll: () => streams.dropAll(), stallAll: () => streams.stallAll() }, () => received.changed());
  const flagsFile = options.flagsFile;
  const writer = flagsFile !== undefined && settings.writeFlagsFile ? new FlagsFileWriter(flagsFile, settings.maxFlagsFileBytes, logger, () => received.changed()) : undefined;
  const shutdown = new AbortController();
  // Every request held by the delay fault waits on this one signal, and drops its listener when
  // its wait ends: a burst holds more than Node's default of 10 at once, which is no leak.
  setMaxListeners(0, shutdown.signal);
  store.subscribe((changes) => {
    streams.broadcast(changes);
    received.changed();
  });
  const context: ServerContext = {
    apiKey: settings.apiKey,
    adminToken: options.adminToken ?? randomBytes(18).toString("base64url"),
    store,
    sessions: new IdentifySessions({ maxSessions: settings.maxSessions, maxBytes: settings.maxSessionBytes }),
    faults,
    received,
    streams,
    logger,
    maxBodyBytes: settings.maxBodyBytes,
    maxStreams: settings.maxStreams,
    admin: settings.admin,
    logRequests: settings.logRequests,
    storage: () => writer?.storage ?? { ...(flagsFile === undefined ? {} : { file: flagsFile }), writes: false },
    writer,
    regexBudgetExceeded: regexBudgetWarnings(logger),
    v2: settings.v2,
    v2ETag: settings.v2ETag,
    shutdown: shutdown.signal,
  };

  const httpServer = createServer(createRequestListener(context));
  await listen(httpServer, settings.port, settings.host);
  const { port, address } = httpServer.address() as AddressInfo;
  if (settings.admin && !isLoopbackAddress(address)) {
    logger.warn(
      `Listening on ${address}, which other hosts can reach, with the /admin API on: anyone with the admin token can change flags and inject faults` +
        ` (and anyone can read flags with the API key). Listen on 127.0.0.1, or turn the admin API off (admin: false, --no-admin).`,
    );
  }
  const hostInUrl = settings.host.includes(":") ? `[${settings.host}]` : settings.host;

  let fileWatch: FlagsFileWatch | undefined;
  if (options.watch && options.flagsFile !== undefined) {
    // A file the server wrote itself holds nothing new; while a write is on its way it is stale.
    const skip = writer ? (file: FlagsFile) => writer.busy || writer.wrote(file) : undefined;
    fileWatch = watchFileForReloads(options.flagsFile, settings.maxFlagsFileBytes, store, logger, skip);
  }

  let closing: Promise<void> | undefined;
  const handle: RollgateServer = {
    url: `http://${hostInUrl}:${port}`,
    host: settings.host,
    port,
    apiKey: settings.apiKey,
    adminToken: context.adminToken,
    faults,
    // A view: the log's arrays are trimmed and emptied in place, so these references stay current.
    received: Object.freeze({
      requests: received.requests,
      identifies: received.identifies,
      events: received.events,
      telemetry: received.telemetry,
      get dropped() {
        return received.dropped;
      },
      get unauthenticated() {
        return received.unauthenticated;
      },
    }),
    get streamCount() {
      return streams.count;
    },
    getFlag: (key) => store.get(key),
    getFlags: () => store.toFile(),
    setFlag: (definition) => keysOf(store.setFlag(parseFlagDefinition(definition, store.segments, `definition of flag "${definition?.key}"`))),
    deleteFlag: (key) => keysOf(store.deleteFlag(key)),
    replaceFlags: (flags) => keysOf(store.replace(parseFlagsFile(asFlagsFile(flags), "flags given to replaceFlags"))),
    setSegment: (id, definition) => keysOf(store.setSegment(id, parseSegmentDefinition(definition, `definition of segment "${id}"`))),
    deleteSegment: (id) => keysOf(store.deleteSegment(id)),
    clearReceived: () => received.clear(),
    clearSessions: () => context.sessions.clear(),
    waitFor: (predicate, timeoutMs = 5000) => received.waitFor(() => predicate(handle), timeoutMs),
    close() {
      closing ??= new Promise<void>((resolve) => {
        fileWatch?.close();
        // Changes made just before a stop (Ctrl+C right after a click) still reach the file.
        const written = writer?.idle() ?? Promise.resolve();
        shutdown.abort();
        streams.closeAll();
        received.abortAll(new Error("waitFor: the server was closed before the condition held."));
        httpServer.close(() => void written.then(resolve));
        httpServer.closeAllConnections();
      });
      return closing;
    },
    [Symbol.asyncDispose]() {
      return handle.close();
    },
  };
  return handle;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
