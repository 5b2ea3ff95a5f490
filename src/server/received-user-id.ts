import type { ReceivedRequest } from "./received-log";
import { userFromContextHeader } from "./request-user";

/**
 * The id of the user a received request was made for, as the server resolved it (PROTOCOL.md
 * §1.7): `X-User-Context`, else `X-User-ID`, else the `user_id` query parameter (the stream reads
 * only that one, §2.1); "" when none.
 *
 * @example
 * receivedUserId(server.received.requests[0]); // "user-123"
 */
export function receivedUserId(request: ReceivedRequest): string {
  if (request.path === "/api/v1/sdk/stream") return request.query["user_id"] ?? "";
  const context = request.headers["x-user-context"];
  if (context) {
    const user = userFromContextHeader(context);
    if (user) return user.id;
  }
  return request.headers["x-user-id"] || request.query["user_id"] || "";
}
