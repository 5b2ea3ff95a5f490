/**
 * rollgate/openfeature: rollgate as an OpenFeature provider for `@openfeature/server-sdk` (an
 * optional peer dependency: only this entry point loads it).
 *
 * @example
 * import { OpenFeature } from "@openfeature/server-sdk";
 * import { RollgateProvider } from "rollgate/openfeature";
 *
 * await OpenFeature.setProviderAndWait(new RollgateProvider({ apiKey: process.env.ROLLGATE_API_KEY! }));
 * const enabled = await OpenFeature.getClient().getBooleanValue("new-checkout", false, { targetingKey: "user-1", plan: "pro" });
 */

export { RollgateProvider } from "./rollgate-provider";
export { contextToUser } from "./context-to-user";
