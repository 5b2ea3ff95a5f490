/**
 * A local Rollgate server in its own process, driven over IPC by bench/support/server-process.ts,
 * so that its CPU time and garbage do not count against the client being measured.
 */
import { startServer } from "rollgate/server";
import { benchFlags, changedFlag } from "../bench-flags";

const SILENT = { warn() {}, error() {}, info() {}, debug() {} };

interface Command {
  readonly id: number;
  readonly op: "change" | "close" | "delay" | "fail" | "clear";
  readonly key?: string;
  readonly value?: number;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? "10000");
  const server = await startServer({ flags: benchFlags(count), logger: SILENT, heartbeatInterval: 0 });
  // A Rollgate this many ms away: every flags request is answered that much later.
  const delayMs = Number(process.argv[3] ?? "0");
  if (delayMs > 0) server.faults.delay(delayMs, { count: "all" });
  process.on("message", (command: Command) => {
    if (command.op === "change") server.setFlag(changedFlag(command.key!, command.value!));
    // Faults on every flags request until cleared: a delay in ms, or an error status.
    if (command.op === "delay") server.faults.delay(command.value!, { count: "all" });
    if (command.op === "fail") server.faults.failFlags({ status: command.value!, count: "all" });
    if (command.op === "clear") server.faults.clear();
    if (command.op === "close") {
      void server.close().then(() => process.exit(0));
      return;
    }
    // The server pushes SSE events synchronously from setFlag, so the reply follows them.
    process.send?.({ id: command.id });
  });
  // The bench process went away (a subject failed, or Ctrl-C): do not outlive it.
  process.on("disconnect", () => process.exit(0));
  process.send?.({ url: server.url, apiKey: server.apiKey });
}

void main();
