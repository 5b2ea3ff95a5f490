import { secretMatches } from "../api-key-check";
import type { Exchange } from "../exchange";
import { parseFlagDefinition, parseFlagsFile, parseSegmentDefinition } from "../flags-file";
import { FlagsFileError } from "../flags-file-error";
import type { ServerContext } from "../server-context";
import { handleActivity } from "./activity-handler";
import { handleEvaluate } from "./evaluate-handler";
import { applyFaultCommand } from "./fault-command";
import { readRequestBody } from "./read-request-body";

function sendAdminJson(exchange: Exchange, status: number, value: unknown): void {
  exchange.sendJson(status, JSON.stringify(value));
}

function sendAdminError(exchange: Exchange, status: number, error: string, message: string, extra: Record<string, unknown> = {}): void {
  sendAdminJson(exchange, status, { error, message, ...extra });
}

/** Reads a JSON body; answers 400 (or 413) and returns undefined when there is none to use. */
async function readJsonBody(exchange: Exchange, context: ServerContext): Promise<{ readonly value: unknown } | undefined> {
  const text = await readRequestBody(exchange, context.maxBodyBytes);
  if (text === undefined) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    sendAdminError(exchange, 400, "InvalidJSON", `The body is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Runs a store mutation that validates its input; a `FlagsFileError` becomes a 400 listing the
 * issues. A change is written back to the flags file when the server does that (`--write`).
 */
function applyDefinition(exchange: Exchange, context: ServerContext, mutate: () => readonly { readonly key: string }[]): void {
  try {
    const changes = mutate();
    if (changes.length > 0) context.writer?.save(context.store.toFile());
    sendAdminJson(exchange, 200, { changed: changes.map((change) => change.key) });
  } catch (error) {
    if (!(error instanceof FlagsFileError)) throw error;
    sendAdminError(exchange, 400, "InvalidDefinition", error.message, { issues: error.issues });
  }
}

function decodeSegment(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

async function handleFlagsCollection(exchange: Exchange, context: ServerContext, method: string): Promise<void> {
  if (method === "GET") {
    sendAdminJson(exchange, 200, context.store.toFile());
  } else if (method === "PUT") {
    const body = await readJsonBody(exchange, context);
    if (body) applyDefinition(exchange, context, () => context.store.replace(parseFlagsFile(body.value, "flags file (PUT /admin/flags)")));
  } else {
    sendAdminError(exchange, 405, "MethodNotAllowed", "Use GET or PUT on /admin/flags.");
  }
}

async function handleOneFlag(exchange: Exchange, context: ServerContext, method: string, key: string): Promise<void> {
  if (method === "GET") {
    const flag = context.store.get(key);
    if (flag) sendAdminJson(exchange, 200, flag);
    else sendAdminError(exchange, 404, "NotFound", `There is no flag "${key}".`);
  } else if (method === "PUT") {
    const body = await readJsonBody(exchange, context);
    if (!body) return;
    const value = body.value;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const given = (value as Record<string, unknown>)["key"];
      if (given !== undefined && given !== key) {
        sendAdminError(exchange, 400, "InvalidDefinition", `The body's key "${String(given)}" differs from the key in the path, "${key}".`);
        return;
      }
    }
    const definition = value !== null && typeof value === "object" && !Array.isArray(value) ? { ...(value as object), key } : value;
    applyDefinition(exchange, context, () => context.store.setFlag(parseFlagDefinition(definition, context.store.segments, `definition of flag "${key}"`)));
  } else if (method === "DELETE") {
    if (context.store.get(key) === undefined) sendAdminError(exchange, 404, "NotFound", `There is no flag "${key}".`);
    else applyDefinition(exchange, context, () => context.store.deleteFlag(key));
  } else {
    sendAdminError(exchange, 405, "MethodNotAllowed", "Use GET, PUT or DELETE on /admin/flags/:key.");
  }
}

async function handleOneSegment(exchange: Exchange, context: ServerContext, method: string, id: string): Promise<void> {
  if (method === "GET") {
    const segment = Object.hasOwn(context.store.segments, id) ? context.store.segments[id] : undefined;
    if (segment) sendAdminJson(exchange, 200, segment);
    else sendAdminError(exchange, 404, "NotFound", `There is no segment "${id}".`);
  } else if (method === "PUT") {
    const body = await readJsonBody(exchange, context);
    if (body) applyDefinition(exchange, context, () => context.store.setSegment(id, parseSegmentDefinition(body.value, `definition of segment "${id}"`)));
  } else if (method === "DELETE") {
    if (!Object.hasOwn(context.store.segments, id)) sendAdminError(exchange, 404, "NotFound", `There is no segment "${id}".`);
    else applyDefinition(exchange, context, () => context.store.deleteSegment(id));
  } else {
    sendAdminError(exchange, 405, "MethodNotAllowed", "Use GET, PUT or DELETE on /admin/segments/:id.");
  }
}

async function handleFaults(exchange: Exchange, context: ServerContext, method: string): Promise<void> {
  if (method === "DELETE") {
    context.faults.clear();
    sendAdminJson(exchange, 200, { cleared: true });
  } else if (method === "POST") {
    const body = await readJsonBody(exchange, context);
    if (!body) return;
    const issues = applyFaultCommand(context.faults, body.value);
    if (issues.length > 0) sendAdminError(exchange, 400, "InvalidFault", `Invalid fault: ${issues[0]}`, { issues });
    else sendAdminJson(exchange, 200, { applied: true });
  } else {
    sendAdminError(exchange, 405, "MethodNotAllowed", "Use POST or DELETE on /admin/faults.");
  }
}

/**
 * The admin API under `/admin`, for changing a running server (every change pushes
 * `flag-changed` to stream clients). Protected by `Authorization: Bearer <adminToken>`.
 *
 * - `GET /admin/flags` (the flags file), `PUT /admin/flags` (replace it)
 * - `GET | PUT | DELETE /admin/flags/:key`
 * - `GET | PUT | DELETE /admin/segments/:id`
 * - `POST /admin/faults` (a fault command, see `faultCommandSchema`), `DELETE /admin/faults`
 * - `GET /admin/activity` (streams, recent requests, faults in force; see `handleActivity`)
 * - `POST /admin/evaluate` (every flag for a user, as the v2 endpoint serves them)
 *
 * Mutations answer `{"changed":[keys of flags whose definition changed]}`; invalid input
 * answers 400 with `{error, message, issues}`.
 */
export async function handleAdmin(exchange: Exchange, context: ServerContext): Promise<void> {
  const authorization = exchange.header("authorization") ?? "";
  if (!authorization.startsWith("Bearer ") || !secretMatches(authorization.slice("Bearer ".length), context.adminToken)) {
    sendAdminError(exchange, 401, "Unauthorized", "The admin API needs Authorization: Bearer <adminToken>.");
    return;
  }
  const method = exchange.request.method ?? "GET";
  const parts = exchange.path.split("/").slice(2);
  const [collection, encodedId, ...rest] = parts;
  const id = encodedId === undefined ? undefined : decodeSegment(encodedId);
  if (rest.length > 0 || (encodedId !== undefined && !id)) {
    sendAdminError(exchange, 404, "NotFound", `No admin route ${exchange.path}.`);
  } else if (collection === "flags" && id === undefined) {
    await handleFlagsCollection(exchange, context, method);
  } else if (collection === "flags" && id) {
    await handleOneFlag(exchange, context, method, id);
  } else if (collection === "segments" && id === undefined && method === "GET") {
    sendAdminJson(exchange, 200, context.store.segments);
  } else if (collection === "segments" && id) {
    await handleOneSegment(exchange, context, method, id);
  } else if (collection === "faults" && id === undefined) {
    await handleFaults(exchange, context, method);
  } else if (collection === "activity" && id === undefined && method === "GET") {
    await handleActivity(exchange, context);
  } else if (collection === "evaluate" && id === undefined && method === "POST") {
    await handleEvaluate(exchange, context);
  } else {
    sendAdminError(exchange, 404, "NotFound", `No admin route ${exchange.path}.`);
  }
}
