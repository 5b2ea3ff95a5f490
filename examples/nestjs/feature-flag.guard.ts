import { type CanActivate, type ExecutionContext, Inject, Injectable } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import type { IncomingMessage } from "node:http";
import { RollgateClient } from "rollgate";
import { requestUserFlags } from "./request-user-flags";

/**
 * Marks a route as available only to users for whom a boolean flag is on (used with
 * {@link FeatureFlagGuard}).
 *
 * @example
 * @Get("beta") @RequireFlag("beta-dashboard") @UseGuards(FeatureFlagGuard)
 */
export const RequireFlag = Reflector.createDecorator<string>();

/**
 * Lets a request through only if the route's {@link RequireFlag} flag is on for the request's
 * user (`client.forUser`): 403 when it is off, 401 for a request without a user. Two concurrent
 * requests for different users are each judged on their own flags.
 */
@Injectable()
export class FeatureFlagGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RollgateClient) private readonly rollgate: RollgateClient,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const flag = this.reflector.get(RequireFlag, context.getHandler());
    // A guarded route without @RequireFlag is a mistake: fail closed.
    if (flag === undefined) return false;
    const flags = await requestUserFlags(this.rollgate, context.switchToHttp().getRequest<IncomingMessage>());
    return flags.isEnabled(flag, false);
  }
}
