import { type DynamicModule, Global, Inject, Module, type OnModuleDestroy, type OnModuleInit } from "@nestjs/common";
import { RollgateClient, type RollgateOptions } from "rollgate";

/**
 * Provides one RollgateClient to the whole application (inject it with
 * `@Inject(RollgateClient)`). The client is initialised when the application starts, before it
 * listens, and closed when it shuts down (`app.close()`, or a signal with `enableShutdownHooks()`).
 *
 * @example
 * @Module({ imports: [RollgateModule.forRoot({ apiKey: process.env.ROLLGATE_API_KEY! })] })
 * export class AppModule {}
 */
@Global()
@Module({})
export class RollgateModule implements OnModuleInit, OnModuleDestroy {
  static forRoot(options: RollgateOptions): DynamicModule {
    return {
      module: RollgateModule,
      providers: [{ provide: RollgateClient, useFactory: () => new RollgateClient(options) }],
      exports: [RollgateClient],
    };
  }

  // Explicit @Inject: tsx (esbuild) does not emit the decorator metadata Nest would otherwise read.
  constructor(@Inject(RollgateClient) private readonly rollgate: RollgateClient) {}

  async onModuleInit(): Promise<void> {
    await this.rollgate.init();
  }

  async onModuleDestroy(): Promise<void> {
    await this.rollgate.close();
  }
}
