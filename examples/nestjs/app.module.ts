import { type DynamicModule, Module } from "@nestjs/common";
import type { RollgateOptions } from "rollgate";
import { FlagsController } from "./flags.controller";
import { RollgateModule } from "./rollgate.module";

/** The NestJS example's root module, configured with the client's options. */
@Module({})
export class AppModule {
  static forRoot(rollgateOptions: RollgateOptions): DynamicModule {
    return { module: AppModule, imports: [RollgateModule.forRoot(rollgateOptions)], controllers: [FlagsController] };
  }
}
