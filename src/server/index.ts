/**
 * rollgate/server: a local Rollgate-compatible server (PROTOCOL.md §4.5) for development,
 * demos and tests: v1/v2 flags with ETag, the SSE stream, identify, events and telemetry,
 * targeting rules and rollouts from a JSON flags file, live changes and fault injection.
 *
 * @example
 * import { startServer } from "rollgate/server";
 * const server = await startServer({ flagsFile: "flags.json", watch: true, port: 8787 });
 * process.stdout.write(`Rollgate on ${server.url}, key ${server.apiKey}\n`);
 */

// Starting a server
export { startServer, type ReceivedTraffic, type RollgateServer } from "./start-server";
export { DEFAULT_SERVER_OPTIONS, type ServerOptions } from "./server-options";

// The flags file
export {
  FLAG_OPERATORS,
  parseFlagDefinition,
  parseFlagsFile,
  parseFlagsFileText,
  parseSegmentDefinition,
  type FlagsFile,
} from "./flags-file";
export { readFlagsFile, type ReadFlagsFileOptions } from "./read-flags-file";
export { FlagsFileError } from "./flags-file-error";

// Faults and what the server received
export {
  MALFORMED_KINDS,
  type ErrorFault,
  type FaultCount,
  type MalformedKind,
  type ServerFaultControls,
} from "./server-faults";
export type {
  ReceivedDropped,
  ReceivedEvent,
  ReceivedIdentify,
  ReceivedRequest,
  ReceivedRequestHeaders,
  ReceivedTelemetry,
} from "./received-log";

// The flag model served
export type {
  Condition,
  EvaluationUser,
  FlagDefinition,
  JsonValue,
  Rule,
  SegmentDefinition,
} from "../model/flag-model";
