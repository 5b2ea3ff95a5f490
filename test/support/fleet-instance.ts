import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { RollgateUser } from "rollgate";

const FIXTURE = join(__dirname, "../redis/fixtures/fleet-instance.ts");

/** What one instance served one user. */
export interface ServedUser {
  readonly theme: string;
  readonly pro: boolean;
  readonly target: boolean;
  readonly source: string;
  readonly stale: boolean;
  readonly reason: string;
}

/** An `ask` answer: every user's flags, and how many forUser calls rejected. */
export interface AskReply {
  readonly values: Record<string, ServedUser>;
  readonly errors: number;
}

/**
 * One instance of a fleet in its own Node process (test/redis/fixtures/fleet-instance.ts): a real
 * client with a RedisCacheStore, driven by JSON commands. `close()` closes the client and resolves
 * with the process's exit once it ended by itself (no open handle), or rejects after `exitWithinMs`.
 */
export class FleetInstance {
  private readonly replies: ((line: string) => void)[] = [];
  private readonly exited: Promise<number | null>;
  private stderr = "";

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on("line", (line) => this.replies.shift()?.(line));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  /** Starts an instance against the Rollgate server at `baseUrl` and the Redis at `redisUrl`. */
  static start(baseUrl: string, apiKey: string, redisUrl: string, refreshIntervalSeconds = 30): FleetInstance {
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, baseUrl, apiKey, redisUrl, String(refreshIntervalSeconds)], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    return new FleetInstance(child);
  }

  init(): Promise<{ source: string; stale: boolean }> {
    return this.send({ cmd: "init" });
  }

  ask(users: readonly RollgateUser[]): Promise<AskReply> {
    return this.send({ cmd: "ask", users });
  }

  defaults(): Promise<{ theme: string; source: string; stale: boolean }> {
    return this.send({ cmd: "defaults" });
  }

  stats(): Promise<{ hits: number; misses: number; writes: number; skipped: number; failed: number; ignored: number; available: boolean; warnings: string[] }> {
    return this.send({ cmd: "stats" });
  }

  /** Closes the client, then waits for the process to exit by itself. */
  async close(exitWithinMs = 10_000): Promise<number | null> {
    await this.send({ cmd: "close" });
    this.child.stdin!.end();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        reject(new Error(`the instance was still running ${exitWithinMs} ms after close(): an open handle.\n${this.stderr}`));
      }, exitWithinMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process (cleanup after a failed test). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }

  private send<T>(command: object): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(command).slice(0, 80)} within 30 s.\n${this.stderr}`)), 30_000);
      this.replies.push((line) => {
        clearTimeout(timer);
        const reply = JSON.parse(line) as T & { commandFailed?: string };
        if (reply.commandFailed !== undefined) reject(new Error(reply.commandFailed));
        else resolve(reply);
      });
      this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    });
  }
}
