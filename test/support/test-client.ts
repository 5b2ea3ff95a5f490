import { RollgateClient, type Logger, type RollgateOptions } from "rollgate";
import { startServer, type FlagDefinition, type RollgateServer, type ServerOptions } from "rollgate/server";
import { TEST_FLAGS } from "./test-flags";

/** A logger that records every message, for assertions (and keeps test output quiet). */
export class RecordingLogger implements Logger {
  readonly messages: { level: string; message: string }[] = [];
  debug(message: string): void {
    this.messages.push({ level: "debug", message });
  }
  info(message: string): void {
    this.messages.push({ level: "info", message });
  }
  warn(message: string): void {
    this.messages.push({ level: "warn", message });
  }
  error(message: string): void {
    this.messages.push({ level: "error", message });
  }
  text(): string {
    return this.messages.map((m) => `${m.level}: ${m.message}`).join("\n");
  }
}

/** Starts the local server on 127.0.0.1, port 0, with the test flags. */
export function startTestServer(options: ServerOptions = {}, flags: readonly FlagDefinition[] = TEST_FLAGS): Promise<RollgateServer> {
  return startServer({ flags, heartbeatInterval: 0, logger: new RecordingLogger(), ...options });
}

/** A client of `server` with caching off and a recording logger, unless overridden. */
export function clientFor(server: RollgateServer, options: Partial<RollgateOptions> = {}): RollgateClient {
  return new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, logger: new RecordingLogger(), ...options });
}

/** The flag requests the server received (v1 or v2). */
export function flagRequests(server: RollgateServer) {
  return server.received.requests.filter((r) => r.path === "/api/v1/sdk/v2/flags" || r.path === "/api/v1/sdk/flags");
}

/** Waits until the server has seen no request for 100 ms (e.g. the refetches after a stream connects are done). */
export async function quiet(server: RollgateServer): Promise<void> {
  let count = -1;
  while (count !== server.received.requests.length) {
    count = server.received.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
