import type { RollgateError } from "../errors";
import type { FlagSnapshot } from "../snapshot/flag-snapshot";
import type { CircuitState } from "./rollgate-event";
import type { RollgateStatus, StreamConnectionState } from "./rollgate-status";

/** What the client's status is derived from: nothing in it is kept in a field of its own. */
export interface StatusInputs {
  readonly ready: boolean;
  readonly closed: boolean;
  readonly snapshot: FlagSnapshot;
  readonly staleReason: string | undefined;
  readonly lastError: RollgateError | undefined;
  readonly circuit: CircuitState;
  readonly stream: StreamConnectionState;
}

/** The client's health, frozen. */
export function statusOf(inputs: StatusInputs): RollgateStatus {
  const { snapshot } = inputs;
  return Object.freeze({
    ready: inputs.ready,
    stale: snapshot.stale,
    staleReason: snapshot.stale ? inputs.staleReason : undefined,
    source: snapshot.source,
    lastUpdated: snapshot.fetchedAt === undefined ? undefined : new Date(snapshot.fetchedAt),
    lastError: inputs.lastError,
    circuit: inputs.circuit,
    stream: inputs.stream,
    closed: inputs.closed,
  });
}

/** Whether two statuses say the same (dates compared by time). */
export function sameStatus(previous: RollgateStatus, next: RollgateStatus): boolean {
  return (Object.keys(next) as (keyof RollgateStatus)[]).every((key) =>
    key === "lastUpdated" ? previous.lastUpdated?.getTime() === next.lastUpdated?.getTime() : previous[key] === next[key],
  );
}
