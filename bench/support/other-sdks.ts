/**
 * The comparison SDKs, set up offline with the same boolean flags (all on): LaunchDarkly's
 * server SDK on its TestData source, unleash-client bootstrapped with metrics off, and
 * OpenFeature's InMemoryProvider. None of them contacts any host but loopback.
 */
import { init, integrations, type LDClient } from "@launchdarkly/node-server-sdk";
import { InMemoryProvider, OpenFeature, type Client as OpenFeatureClient } from "@openfeature/server-sdk";
import { InMemStorageProvider, Unleash } from "unleash-client";

const QUIET = { debug() {}, info() {}, warn() {}, error() {} };

export async function launchDarkly(keys: readonly string[]): Promise<{ client: LDClient; context: { kind: "user"; key: string } }> {
  const td = new integrations.TestData();
  for (const key of keys) await td.update(td.flag(key).booleanFlag().variationForAll(true));
  const client = init("sdk-offline-bench", { updateProcessor: td.getFactory(), sendEvents: false, diagnosticOptOut: true, logger: QUIET });
  await client.waitForInitialization({ timeout: 10 });
  return { client, context: { kind: "user", key: "bench-user" } };
}

/** `url` is a loopback server that does not speak Unleash: the bootstrap is all it serves. */
export async function unleash(keys: readonly string[], url: string): Promise<Unleash> {
  const client = new Unleash({
    url,
    appName: "rollgate-bench",
    disableMetrics: true,
    refreshInterval: 0,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: keys.map((name) => ({ name, enabled: true, project: "default", strategies: [{ name: "default", parameters: {}, constraints: [] }] })) },
  });
  client.on("error", () => {});
  client.on("warn", () => {});
  await new Promise<void>((resolve) => client.once("ready", () => resolve()));
  return client;
}

export async function openFeature(keys: readonly string[]): Promise<OpenFeatureClient> {
  const flags: Record<string, { variants: Record<string, boolean>; defaultVariant: string; disabled: boolean }> = {};
  for (const key of keys) flags[key] = { variants: { on: true, off: false }, defaultVariant: "on", disabled: false };
  await OpenFeature.setProviderAndWait(new InMemoryProvider(flags));
  return OpenFeature.getClient();
}
