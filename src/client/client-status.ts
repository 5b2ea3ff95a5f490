import type { RollgateError } from "../errors";
import type { FlagSnapshot } from "../model/flag-snapshot";
import type { CircuitState, EventsStatus, HooksStatus, RollgateStatus, StreamConnectionState, TelemetryStatus, UsersStatus } from "../model/rollgate-status";

/** What the client's status is derived from: nothing in it is kept in a field of its own. */
export interface StatusInputs {
  readonly ready: boolean;
  readonly closed: boolean;
  readonly snapshot: FlagSnapshot;
  readonly staleReason: string | undefined;
  readonly lastError: RollgateError | undefined;
  readonly circuit: CircuitState;
  readonly stream: StreamConnectionState;
  readonly events: EventsStatus | undefined;
  readonly telemetry: TelemetryStatus | undefined;
  readonly users: UsersStatus;
  readonly hooks: HooksStatus;
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
    events: inputs.events,
    telemetry: inputs.telemetry,
    users: inputs.users,
    hooks: inputs.hooks,
  });
}

/** Whether two statuses say the same (dates compared by time, counters field by field). */
export function sameStatus(previous: RollgateStatus, next: RollgateStatus): boolean {
  return (Object.keys(next) as (keyof RollgateStatus)[]).every((key) => {
    if (key === "lastUpdated") return previous.lastUpdated?.getTime() === next.lastUpdated?.getTime();
    if (key === "events" || key === "telemetry" || key === "users" || key === "hooks") return sameFields(previous[key], next[key]);
    return previous[key] === next[key];
  });
}

function sameFields(a: object | undefined, b: object | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  return Object.keys(right).every((key) => left[key] === right[key]);
}
