#!/usr/bin/env node
/**
 * The `rollgate-server` command: runs the local Rollgate-compatible server on a flags file.
 * This is the one file of src/ that prints to the console.
 *
 * @example
 * rollgate-server --flags examples/flags.json --port 8787 --watch
 */
import { parseArgs } from "node:util";
import { RollgateError, type PayloadIssue } from "../errors";
import type { Logger } from "../logger/logger";
import { SDK_VERSION } from "../version";
import { FlagsFileError } from "./flags-file-error";
import { DEFAULT_SERVER_OPTIONS } from "./server-options";
import { startServer } from "./start-server";

const USAGE = `Usage: rollgate-server --flags FILE [options]

Runs a local Rollgate-compatible server (flags v1/v2, SSE stream, identify, events,
telemetry, /admin API) on a JSON flags file.

Options:
  --flags FILE         the flags file to serve (required)
  --port N             TCP port, 0 for any free one (default 8787)
  --host H             interface to listen on (default ${DEFAULT_SERVER_OPTIONS.host})
  --api-key K          API key clients must send (default ${DEFAULT_SERVER_OPTIONS.apiKey})
  --admin-token T      token for the /admin API (default: random, printed at start)
  --heartbeat S        seconds between stream heartbeats, 0 for none (default ${DEFAULT_SERVER_OPTIONS.heartbeatInterval})
  --watch              reload the flags file when it changes and push the changes
  --write              save changes made on the page or the admin API to the flags file
                       (atomically); without it they live in memory until the server stops
  --log-requests       print one line per request: method, path, status, milliseconds
  --no-admin           turn the /admin API and the page off (do this when other hosts can reach --host)
  --version            print the version
  -h, --help           show this help
`;

/** Every issue of a flags file on its own indented line, after the logger's message. */
function issueLines(context: Record<string, unknown> | undefined): string {
  const issues = context?.["issues"];
  if (!Array.isArray(issues) || issues.length < 2) return "";
  return issues.map((issue: PayloadIssue) => `\n  ${issue.path ? `${issue.path}: ` : ""}${issue.message}`).join("");
}

const consoleLogger: Logger = {
  debug() {},
  info: (message) => console.log(`rollgate-server: ${message}`),
  warn: (message) => console.error(`rollgate-server: warning: ${message}`),
  error: (message, context) => console.error(`rollgate-server: error: ${message}${issueLines(context)}`),
};

/**
 * The message for an invalid flags file: one line for one issue; for several, a count and then
 * every issue on its own line (the error's own message names only the first).
 */
function describeFlagsFileError(error: FlagsFileError): string {
  if (error.issues.length < 2) return error.message;
  return `Invalid ${error.source}: ${error.issues.length} issues. Fix them and try again.${issueLines({ issues: error.issues })}`;
}

function fail(message: string): never {
  console.error(`rollgate-server: ${message}`);
  process.exit(1);
}

function parseNumber(name: string, text: string | undefined, whole: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value))) {
    fail(`--${name} expects ${whole ? "a whole number" : "a number"} of at least 0, got "${text}".`);
  }
  return value;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        flags: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        "api-key": { type: "string" },
        "admin-token": { type: "string" },
        heartbeat: { type: "string" },
        watch: { type: "boolean", default: false },
        write: { type: "boolean", default: false },
        "log-requests": { type: "boolean", default: false },
        "no-admin": { type: "boolean", default: false },
        version: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${(error as Error).message}. See --help.`);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.version) {
    process.stdout.write(`rollgate-server ${SDK_VERSION}\n`);
    return;
  }
  if (values.flags === undefined) fail("--flags FILE is required. See --help.");
  const port = parseNumber("port", values.port, true) ?? 8787;
  const host = values.host ?? DEFAULT_SERVER_OPTIONS.host;
  const heartbeatInterval = parseNumber("heartbeat", values.heartbeat, false);

  const server = await startServer({
    flagsFile: values.flags,
    port,
    host,
    watch: values.watch,
    writeFlagsFile: values.write,
    admin: !values["no-admin"],
    logRequests: values["log-requests"],
    logger: consoleLogger,
    ...(values["api-key"] === undefined ? {} : { apiKey: values["api-key"] }),
    ...(values["admin-token"] === undefined ? {} : { adminToken: values["admin-token"] }),
    ...(heartbeatInterval === undefined ? {} : { heartbeatInterval }),
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") fail(`port ${port} on ${host} is already in use; stop the other process or pick another with --port.`);
    if (code === "EACCES") fail(`not allowed to listen on ${host}:${port}; pick a port above 1023 with --port.`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") fail(`cannot listen on host ${host}: ${(error as Error).message}.`);
    if (error instanceof FlagsFileError) fail(describeFlagsFileError(error));
    if (error instanceof RollgateError) fail(error.message);
    throw error;
  });

  // Before the banner: a supervisor that sends SIGTERM as soon as it reads "listening" must get
  // a clean shutdown. Installed after it, a SIGTERM sent at once killed the process outright.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`rollgate-server: ${signal} received, shutting down.`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  const keyHint = values["api-key"] === undefined ? server.apiKey : "the one given with --api-key";
  // One write, so that whoever reads the banner gets it whole.
  console.log(
    [
      `rollgate-server listening on ${server.url}`,
      `  API key:   ${keyHint} (Authorization: Bearer <key>; the stream takes ?token=<key>)`,
      values["no-admin"] ? "  Admin API: off (--no-admin)" : `  Admin API: ${server.url}/admin (Authorization: Bearer ${server.adminToken})`,
      ...(values["no-admin"] ? [] : [`  Page:      ${server.url}/#token=${encodeURIComponent(server.adminToken)} (open it in a browser)`]),
      `  Flags:     ${server.getFlags().flags.length} from ${values.flags}${values.watch ? " (watching for changes)" : ""}${values.write ? " (changes saved to it)" : ""}`,
    ].join("\n"),
  );
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
