import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What to install when the binary is missing (the tests name it when they skip). */
export const REDIS_PACKAGE = "redis-server";

/** The `redis-server` binary on PATH, or undefined when it is not installed. */
export const redisServerBinary: string | undefined = (() => {
  const found = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  return found.status === 0 ? "redis-server" : undefined;
})();

/**
 * `describe` for tests that need a real Redis: when `redis-server` is missing, the block reports
 * one skipped test naming the Debian package to install, so `npm test` passes on a machine with
 * only Node and npm (`.ci/run` installs the package and fails on any skipped test).
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisServerBinary !== undefined) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    it.skip(`needs redis-server: install the Debian package ${REDIS_PACKAGE} (apt-get install -y ${REDIS_PACKAGE})`, () => undefined);
  });
}

/** A free TCP port on 127.0.0.1 (free when asked: the caller binds it right away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A `redis-server` of the test's own, on 127.0.0.1 and a free port, in a temporary directory,
 * persisting nothing (`--save "" --appendonly no`). `stop()` ends it and removes the directory;
 * `kill()` and `restart()` play an outage (a restarted server is empty, as after a crash).
 *
 * @example
 * const redis = await LocalRedis.start();
 * afterAll(() => redis.stop());
 * new RedisCacheStore({ url: redis.url });
 */
export class LocalRedis {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** Starts a server and resolves once it answers PING. */
  static async start(): Promise<LocalRedis> {
    if (redisServerBinary === undefined) throw new Error(`redis-server is not installed (Debian package ${REDIS_PACKAGE}).`);
    const redis = new LocalRedis(await freePort(), mkdtempSync(join(tmpdir(), "rollgate-redis-")));
    await redis.launch();
    return redis;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Whether the server process is running. */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** Kills the server at once (SIGKILL), as a crash would; resolves when it is gone. */
  async kill(): Promise<void> {
    this.child?.kill("SIGKILL");
    await this.exited;
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void {
    this.child?.kill("SIGSTOP");
  }

  /** Thaws a paused server (SIGCONT). */
  unpause(): void {
    this.child?.kill("SIGCONT");
  }

  /** Starts the server again on the same port (empty). */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  /** Ends the server and removes its directory. */
  async stop(): Promise<void> {
    if (this.child !== undefined) {
      this.child.kill("SIGCONT");
      this.child.kill("SIGTERM");
      await this.exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"];
    const child = spawn(redisServerBinary!, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once("exit", () => {
        if (this.child === child) this.child = undefined;
        resolve();
      }),
    );
    const deadline = performance.now() + 10_000;
    while (!(await this.answersPing())) {
      if (this.child !== child) throw new Error(`redis-server exited at start: ${stderr}`);
      if (performance.now() > deadline) throw new Error(`redis-server did not answer within 10 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private answersPing(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port: this.port });
      let reply = "";
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(500, () => done(false));
      socket.once("error", () => done(false));
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.setEncoding("utf8").on("data", (chunk: string) => {
        reply += chunk;
        if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
      });
    });
  }
}
