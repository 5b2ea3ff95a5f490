import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { RollgateClient, silentLogger, type RollgateOptions } from "rollgate";
import { startServer, type RollgateServer } from "rollgate/server";

/** The repository root, where `npm run` and the examples' relative imports resolve. */
export const REPO_ROOT = resolve(__dirname, "../../..");

/** The flags file the examples are written for. */
export const EXAMPLE_FLAGS_FILE = join(REPO_ROOT, "examples", "flags.json");

/** The local server on 127.0.0.1, a free port, with examples/flags.json, quiet. */
export function startExampleServer(): Promise<RollgateServer> {
  return startServer({ flagsFile: EXAMPLE_FLAGS_FILE, port: 0, heartbeatInterval: 0, logger: silentLogger });
}

/** Client options for `server`: no persistent cache, quiet, and a breaker that opens on one failure. */
export function exampleClientOptions(server: RollgateServer, overrides: Partial<RollgateOptions> = {}): RollgateOptions {
  return {
    apiKey: server.apiKey,
    baseUrl: server.url,
    cache: false,
    logger: silentLogger,
    retry: { maxRetries: 0 },
    circuitBreaker: { failureThreshold: 1 },
    ...overrides,
  };
}

/** A client of `server` with {@link exampleClientOptions}. */
export function exampleClient(server: RollgateServer, overrides: Partial<RollgateOptions> = {}): RollgateClient {
  return new RollgateClient(exampleClientOptions(server, overrides));
}

/** Makes every flag request fail with 503 and refreshes, which opens the client's circuit. */
export async function breakCircuit(server: RollgateServer, client: RollgateClient): Promise<void> {
  server.faults.failFlags({ status: 503, count: "all" });
  await client.refresh();
}

/** A fresh temporary directory and the function that removes it. */
export async function temporaryDir(prefix: string): Promise<{ readonly path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** GETs `url` and returns the status and parsed JSON body. */
export async function getJson(url: string): Promise<{ readonly status: number; readonly body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}
