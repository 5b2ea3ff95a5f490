/**
 * Express middleware that evaluates the flags for the request's user: `req.flags` is that user's
 * `UserFlags`, from `client.forUser(user)`. Two requests for different users never see each
 * other's flags, whatever their timing.
 */
import type { RequestHandler } from "express";
import { RollgateConfigError, type RollgateClient, type RollgateUser, type UserFlags } from "rollgate";
import { userFromRequest } from "../user-from-request";

declare global {
  // Declaration merging is how Express types what middleware adds to the request.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request user's flags: set by {@link userFlags} on the routes that use it. */
      flags: UserFlags;
    }
  }
}

/** Options of {@link userFlags}. */
export interface UserFlagsOptions {
  /**
   * Who the request is for; `undefined` for an anonymous request, which is answered 401.
   * @default userFromRequest (the `x-user-*` headers)
   */
  readonly userOf?: (request: Parameters<RequestHandler>[0]) => RollgateUser | undefined;
}

/**
 * Puts the request user's flags on `req.flags`, then calls the route. Mount it on the routes that
 * evaluate for a user; routes that do not (e.g. `/health`) skip the lookup.
 *
 * A user seen recently is answered from memory, at once; a new user waits for one fetch, which
 * concurrent requests for that user share, bounded by the client's `timeout`. When Rollgate is
 * unreachable the route still runs: the getters return your defaults (or the user's last flags).
 *
 * @example
 * const withFlags = userFlags(rollgate);
 * app.get("/checkout", withFlags, (req, res) => {
 *   res.render(req.flags.isEnabled("new-checkout", false) ? "checkout-v2" : "checkout");
 * });
 */
export function userFlags(rollgate: RollgateClient, { userOf = userFromRequest }: UserFlagsOptions = {}): RequestHandler {
  return async (request, response, next) => {
    const user = userOf(request);
    if (user === undefined) {
      response.status(401).json({ error: "Unknown user: send the x-user-id header." });
      return;
    }
    try {
      request.flags = await rollgate.forUser(user);
    } catch (error) {
      // forUser rejects only for a user it cannot send (e.g. attributes too large), or after close().
      if (error instanceof RollgateConfigError) {
        response.status(400).json({ error: error.message });
        return;
      }
      throw error;
    }
    next();
  };
}
