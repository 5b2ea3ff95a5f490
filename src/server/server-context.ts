import type { RegexBudgetListener } from "../evaluation/regex-match-budget";
import type { Logger } from "../logger/logger";
import type { EventStreamHub } from "./event-stream-hub";
import type { FlagStore } from "./flag-store";
import type { FlagsFileStorage, FlagsFileWriter } from "./flags-file-writer";
import type { IdentifySessions } from "./identify-sessions";
import type { ReceivedLog } from "./received-log";
import type { ServerFaults } from "./server-faults";

/** Everything a request handler needs: the server's state and settings. */
export interface ServerContext {
  readonly apiKey: string;
  readonly adminToken: string;
  readonly store: FlagStore;
  readonly sessions: IdentifySessions;
  readonly faults: ServerFaults;
  readonly received: ReceivedLog;
  readonly streams: EventStreamHub;
  readonly logger: Logger;
  /** Request bodies above this many bytes get 413. */
  readonly maxBodyBytes: number;
  /** Open streams allowed; a connect beyond it gets 503. */
  readonly maxStreams: number;
  /** Whether `/v2/flags` exists (false answers 404 like an older server). */
  readonly v2: boolean;
  /** Whether `/v2/flags` sends an ETag and honours If-None-Match (PROTOCOL.md §6.5). */
  readonly v2ETag: boolean;
  /** Whether `/admin` is served (otherwise it is an unknown path, 404). */
  readonly admin: boolean;
  /** Where the flags live (file or memory), for the page. */
  readonly storage: () => FlagsFileStorage;
  /** Writes admin changes back to the flags file (`writeFlagsFile`); undefined when off. */
  readonly writer: FlagsFileWriter | undefined;
  /** Whether every request is logged at info when it ends. */
  readonly logRequests: boolean;
  /** Told of every regex search the match budget refused (warns once per pattern). */
  readonly regexBudgetExceeded: RegexBudgetListener;
  /** Aborted when the server closes, to cut short delay faults. */
  readonly shutdown: AbortSignal;
}
