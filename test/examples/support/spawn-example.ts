import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./example-server";

/** How a spawned example ended. */
export interface ExampleExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** An example running in its own Node process, as `npx tsx <file>` would run it. */
export interface RunningExample {
  /** Everything it wrote to stdout so far. */
  readonly stdout: () => string;
  /** Everything it wrote to stderr so far. */
  readonly stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout; rejects if it exits or `timeoutMs` passes first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExampleExit>;
  /** Resolves when the process has exited; rejects if it is still running after `timeoutMs`. */
  waitForExit(timeoutMs?: number): Promise<ExampleExit>;
  /**
   * Sends `signal` (SIGTERM by default) and waits for the exit; a process still running
   * `graceMs` later is killed (SIGKILL), so a test never leaves one behind.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ExampleExit>;
}

/**
 * Runs `examples/<file>` with tsx in a child process (so top-level await, ESM and the tsconfig
 * paths work as for a user), with `env` added to the environment.
 */
export function spawnExample(file: string, env: Readonly<Record<string, string>>): RunningExample {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join("examples", file)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const outputListeners = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const listener of outputListeners) listener();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<ExampleExit>((resolve) => {
    child.once("exit", (code, signal) => {
      for (const listener of outputListeners) listener();
      resolve({ code, signal });
    });
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const waitForOutput = (pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (match !== null) finish(() => resolve(match));
        else if (child.exitCode !== null || child.signalCode !== null) {
          finish(() => reject(new Error(`examples/${file} exited before printing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
        }
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`examples/${file} did not print ${pattern} within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        outputListeners.delete(check);
        settle();
      };
      outputListeners.add(check);
      check();
    });

  const waitForExit = (timeoutMs = 15_000): Promise<ExampleExit> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`examples/${file} was still running after ${timeoutMs} ms.\nstdout:\n${stdout}`)), timeoutMs);
      void exited.then((exit) => {
        clearTimeout(timer);
        resolve(exit);
      });
    });

  return {
    stdout: () => stdout,
    stderr: () => stderr,
    waitForOutput,
    exited,
    waitForExit,
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (hasExited) return exited;
      child.kill(signal);
      const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const exit = await exited;
      clearTimeout(killer);
      return exit;
    },
  };
}
