import { type CanActivate, type ExecutionContext, Inject, Injectable } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { RollgateClient } from "rollgate";

/**
 * Marks a route as available only while a boolean flag is on (used with {@link FeatureFlagGuard}).
 *
 * @example
 * @Get("beta") @RequireFlag("beta-dashboard") @UseGuards(FeatureFlagGuard)
 */
export const RequireFlag = Reflector.createDecorator<string>();

/** Lets a request through only if the route's {@link RequireFlag} flag is on; otherwise 403. */
@Injectable()
export class FeatureFlagGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RollgateClient) private readonly rollgate: RollgateClient,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const flag = this.reflector.get(RequireFlag, context.getHandler());
    // A guarded route without @RequireFlag is a mistake: fail closed.
    return flag !== undefined && this.rollgate.isEnabled(flag, false);
  }
}
