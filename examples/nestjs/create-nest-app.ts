import type { INestApplication, NestApplicationOptions } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import type { RollgateOptions } from "rollgate";
import { AppModule } from "./app.module";

/**
 * Creates the NestJS example application; `listen()` initialises the client first
 * (RollgateModule's `onModuleInit`), `close()` closes it.
 *
 * @example
 * const app = await createNestApp({ apiKey: process.env.ROLLGATE_API_KEY! });
 * await app.listen(3000);
 */
export function createNestApp(rollgateOptions: RollgateOptions, nestOptions: NestApplicationOptions = {}): Promise<INestApplication> {
  return NestFactory.create(AppModule.forRoot(rollgateOptions), nestOptions);
}
