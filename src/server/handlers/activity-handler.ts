import type { Exchange } from "../exchange";
import { receivedUserId } from "../received-user-id";
import type { ServerContext } from "../server-context";

/** Newest requests and oldest streams one answer lists: the page shows no more. */
export const ACTIVITY_LIMIT = 50;

/** The longest a `GET /admin/activity?since=` waits for a change, in seconds. */
const MAX_WAIT_SECONDS = 20;

function activityJson(context: ServerContext): string {
  const { received, streams, store, faults } = context;
  const requests = received.requests.slice(-ACTIVITY_LIMIT).map((request) => ({
    seq: request.seq,
    ageMs: received.ageOf(request) ?? 0,
    method: request.method,
    path: request.path,
    userId: receivedUserId(request),
    status: request.status ?? null,
  }));
  return JSON.stringify({
    version: received.changeCount,
    flagsVersion: store.version,
    storage: context.storage(),
    streams: { count: streams.count, clients: streams.clients(ACTIVITY_LIMIT) },
    requests,
    requestsDropped: received.dropped.requests,
    unauthenticated: received.unauthenticated,
    faults: faults.active(),
  });
}

/**
 * `GET /admin/activity`: what the page shows live — the open streams, the newest requests (with
 * their age in milliseconds and the user they were for), the faults in force, where changes are
 * kept, and `version`/`flagsVersion` counters. With `?since=<version>` it is a long poll: it
 * answers once anything changed since that version, or after `wait` seconds (default and most
 * 20) with the same version, so the page learns of a change at once without polling hard.
 */
export async function handleActivity(exchange: Exchange, context: ServerContext): Promise<void> {
  const since = Number(exchange.query.get("since") ?? Number.NaN);
  const waitText = exchange.query.get("wait");
  const waitSeconds = Math.min(MAX_WAIT_SECONDS, Math.max(0, waitText === null ? MAX_WAIT_SECONDS : Number(waitText) || 0));
  if (Number.isInteger(since) && since === context.received.changeCount && waitSeconds > 0) {
    let gone = false;
    exchange.response.once("close", () => {
      gone = true;
    });
    // A timeout or the server closing ends the wait as a change would: answer what is there.
    await context.received.waitFor(() => gone || context.received.changeCount !== since, waitSeconds * 1000).catch(() => {});
    if (!exchange.canRespond) return;
  }
  exchange.sendJson(200, activityJson(context), { "Cache-Control": "no-store" });
}
