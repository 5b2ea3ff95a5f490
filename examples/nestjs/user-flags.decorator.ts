import { createParamDecorator, type ExecutionContext, Inject, Injectable, type PipeTransform } from "@nestjs/common";
import type { IncomingMessage } from "node:http";
import { RollgateClient, type UserFlags } from "rollgate";
import { requestUserFlags } from "./request-user-flags";

/** The raw request, handed to {@link UserFlagsPipe} (a param decorator's factory cannot wait; a pipe can). */
const RequestParam = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<IncomingMessage>());

/** Resolves a request to its user's flags (`client.forUser`); 401 without a user. */
@Injectable()
export class UserFlagsPipe implements PipeTransform<IncomingMessage, Promise<UserFlags>> {
  constructor(@Inject(RollgateClient) private readonly rollgate: RollgateClient) {}

  transform(request: IncomingMessage): Promise<UserFlags> {
    return requestUserFlags(this.rollgate, request);
  }
}

/**
 * Hands a handler the flags of the request's user.
 *
 * @example
 * @Get("checkout")
 * checkout(@UserFlagsParam() flags: UserFlags) {
 *   return { variant: flags.getString("checkout-variant", "control") };
 * }
 */
export const UserFlagsParam = (): ParameterDecorator => RequestParam(UserFlagsPipe);
