import { BadRequestException, UnauthorizedException } from "@nestjs/common";
import type { IncomingHttpHeaders } from "node:http";
import { RollgateConfigError, type RollgateClient, type UserFlags } from "rollgate";
import { userFromRequest } from "../user-from-request";

/**
 * The flags of a request's user (`x-user-*` headers, see `../user-from-request.ts`), shared by
 * {@link FeatureFlagGuard} and {@link UserFlagsParam}. A user seen recently is answered from
 * memory; a new one waits for one fetch, shared by concurrent requests for that user and bounded
 * by the client's timeout.
 *
 * @throws UnauthorizedException (401) for a request without a user.
 * @throws BadRequestException (400) for a user too large to send to Rollgate.
 */
export async function requestUserFlags(rollgate: RollgateClient, request: { readonly headers: IncomingHttpHeaders }): Promise<UserFlags> {
  const user = userFromRequest(request);
  if (user === undefined) throw new UnauthorizedException("Unknown user: send the x-user-id header.");
  try {
    return await rollgate.forUser(user);
  } catch (error) {
    // forUser rejects only for a user it cannot send (e.g. attributes too large), or after close().
    if (error instanceof RollgateConfigError) throw new BadRequestException(error.message);
    throw error;
  }
}
