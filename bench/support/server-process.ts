import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A local Rollgate server running in another process (bench/support/serve.ts). */
export interface ServerProcess {
  readonly url: string;
  readonly apiKey: string;
  /** Sets `key` to a number-valued flag serving `value`; resolves once the server applied it. */
  change(key: string, value: number): Promise<void>;
  /**
   * Faults on every flags request until `clear`: `delay` holds each response `value` ms (the
   * server never fails), `fail` answers status `value`. Resolves once the server applied it.
   */
  fault(op: "delay" | "fail" | "clear", value?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a server serving `benchFlags(flagCount)` in a child process, answering flags requests `delayMs` late. */
export function startServerProcess(flagCount: number, delayMs = 0): Promise<ServerProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./serve.ts", import.meta.url)), [String(flagCount), String(delayMs)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 0;
  const waiting = new Map<number, () => void>();
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the bench server exited early (${code})`)));
    child.on("message", (message: { id?: number; url?: string; apiKey?: string }) => {
      if (message.url !== undefined) {
        resolve({
          url: message.url,
          apiKey: message.apiKey!,
          change: (key, value) =>
            new Promise<void>((done) => {
              const id = nextId++;
              waiting.set(id, done);
              child.send({ id, op: "change", key, value });
            }),
          fault: (op, value) =>
            new Promise<void>((done) => {
              const id = nextId++;
              waiting.set(id, done);
              child.send({ id, op, value });
            }),
          close: () =>
            new Promise<void>((done) => {
              child.removeAllListeners("exit");
              child.once("exit", () => done());
              child.send({ id: -1, op: "close" });
            }),
        });
      } else if (message.id !== undefined) {
        const done = waiting.get(message.id);
        waiting.delete(message.id);
        done?.();
      }
    });
  });
}
