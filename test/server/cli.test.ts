import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { silentLogger } from "../../src/logger/logger";
import { startServer } from "../../src/server";

const CLI = join(process.cwd(), "src/server/cli.ts");

interface Run {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Resolves with the URL once the listening line is printed. */
  readonly listening: Promise<string>;
  /** Resolves once `predicate(stdout, stderr)` holds, re-checked on every chunk of output. */
  until(predicate: (stdout: string, stderr: string) => boolean): Promise<void>;
}

const running = new Set<ChildProcess>();

function runCli(args: readonly string[]): Run {
  // Not node_modules/.bin/tsx: that CLI runs the script in a grandchild process and relays a
  // signal to it only if the grandchild reports it within 30 ms, else kills it (exit 143): under a
  // loaded CI run, a SIGTERM test failed that way. Here the signal reaches the CLI itself.
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  let announce: (url: string) => void = () => {};
  const checks = new Set<() => void>();
  const recheck = () => {
    for (const check of [...checks]) check();
  };
  const listening = new Promise<string>((resolve, reject) => {
    announce = resolve;
    child.once("exit", () => reject(new Error(`The CLI exited before listening. stderr: ${stderr}`)));
  });
  listening.catch(() => {});
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    const match = /^rollgate-server listening on (http:\/\/\S+)$/m.exec(stdout);
    // The banner ends with the "Flags:" line.
    if (match?.[1] && /^ {2}Flags: /m.test(stdout)) announce(match[1]);
    recheck();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    recheck();
  });
  const until = (predicate: (stdout: string, stderr: string) => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!predicate(stdout, stderr)) return;
        checks.delete(check);
        resolve();
      };
      checks.add(check);
      check();
    });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited, listening, until };
}

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "rollgate-cli-"));
});

afterEach(async () => {
  // SIGTERM, so that each CLI closes its server (and writes its flags file) as in use.
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("rollgate-server", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("prints its URL and key, serves the flags file, and exits 0 on %s", async (signal) => {
    const run = runCli(["--flags", "examples/flags.json", "--port", "0", "--admin-token", "cli-admin"]);
    const url = await run.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.stdout()).toContain("rg_server_local_dev_key");
    expect(run.stdout()).toContain(`  Page:      ${url}/#token=cli-admin (open it in a browser)`);
    const response = await request(`${url}/api/v1/sdk/flags`, { headers: { authorization: "Bearer rg_server_local_dev_key" } });
    const body = (await response.body.json()) as { flags: Record<string, boolean> };
    expect(body.flags["new-feature"]).toBe(true);
    expect(body.flags["disabled-flag"]).toBe(false);
    const adminReply = await request(`${url}/admin/flags/new-feature`, { headers: { authorization: "Bearer cli-admin" } });
    expect(adminReply.statusCode).toBe(200);
    await adminReply.body.dump();
    run.child.kill(signal);
    await expect(run.exited).resolves.toBe(0);
  });

  // A supervisor may stop it the moment it reads the banner: the signal handlers are in place by then.
  it("exits 0 on a SIGTERM sent as soon as the banner is printed", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = runCli(["--flags", "examples/flags.json", "--port", "0"]);
      await run.listening;
      run.child.kill("SIGTERM");
      await expect(run.exited).resolves.toBe(0);
    }
  });

  it("with --write, saves a change made through the admin API to the flags file", async () => {
    const file = join(directory, "written.json");
    await writeFile(file, JSON.stringify({ flags: [{ key: "a", description: "kept", enabled: true, rolloutPercentage: 100 }] }));
    const run = runCli(["--flags", file, "--port", "0", "--admin-token", "w", "--write"]);
    const url = await run.listening;
    expect(run.stdout()).toContain("(changes saved to it)");
    const reply = await request(`${url}/admin/flags/a`, { method: "PUT", headers: { authorization: "Bearer w" }, body: '{"enabled":false}' });
    expect(reply.statusCode).toBe(200);
    await reply.body.dump();
    run.child.kill("SIGTERM");
    await expect(run.exited).resolves.toBe(0);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ flags: [{ key: "a", description: "kept", enabled: false }] });
  });

  it("uses the given API key without printing it", async () => {
    const run = runCli(["--flags", "examples/flags.json", "--port", "0", "--api-key", "rg_secret_key_123"]);
    const url = await run.listening;
    const response = await request(`${url}/api/v1/sdk/flags`, { headers: { authorization: "Bearer rg_secret_key_123" } });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    expect(run.stdout()).not.toContain("rg_secret_key_123");
    run.child.kill("SIGTERM");
    await expect(run.exited).resolves.toBe(0);
  });

  it("exits 1 with a one-line message naming the problem for an invalid flags file", async () => {
    const path = join(directory, "bad.json");
    await writeFile(path, JSON.stringify({ flags: [{ key: "a", enabled: true, rules: [{ id: "r", enabled: true, conditions: [], rolloutPercentage: 120 }] }] }));
    const run = runCli(["--flags", path, "--port", "0"]);
    await expect(run.exited).resolves.toBe(1);
    expect(run.stderr().trim().split("\n")).toEqual([
      `rollgate-server: Invalid flags file ${path}: flags[0].rules[0].rolloutPercentage: expected a number from 0 to 100, got the number 120. Fix it and try again.`,
    ]);
  });

  it("exits 1 with a one-line message when the file is missing", async () => {
    const run = runCli(["--flags", join(directory, "missing.json")]);
    await expect(run.exited).resolves.toBe(1);
    expect(run.stderr().trim().split("\n")).toHaveLength(1);
    expect(run.stderr()).toContain("does not exist");
  });

  it("exits 1 with a one-line message when the port is in use", async () => {
    await using taken = await startServer({ logger: silentLogger });
    const run = runCli(["--flags", "examples/flags.json", "--port", String(taken.port)]);
    await expect(run.exited).resolves.toBe(1);
    expect(run.stderr().trim().split("\n")).toEqual([
      `rollgate-server: port ${taken.port} on 127.0.0.1 is already in use; stop the other process or pick another with --port.`,
    ]);
  });

  it.each([
    [["--port", "0"], "--flags FILE is required"],
    [["--flags", "examples/flags.json", "--port", "abc"], '--port expects a whole number of at least 0, got "abc"'],
    [["--flags", "examples/flags.json", "--bogus"], "Unknown option '--bogus'"],
  ])("exits 1 for bad arguments %j", async (args, message) => {
    const run = runCli(args);
    await expect(run.exited).resolves.toBe(1);
    expect(run.stderr()).toContain(message);
  });

  it("prints its version for --version and exits 0", async () => {
    const run = runCli(["--version"]);
    await expect(run.exited).resolves.toBe(0);
    const { version } = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
    expect(run.stdout()).toBe(`rollgate-server ${version}\n`);
  });

  it("logs one line per request with --log-requests, never the key or the token", async () => {
    const key = "rg_secret_cli_key_42";
    const run = runCli(["--flags", "examples/flags.json", "--port", "0", "--api-key", key, "--log-requests"]);
    const url = await run.listening;
    await (await request(`${url}/api/v1/sdk/flags?withReasons=true`, { headers: { authorization: `Bearer ${key}` } })).body.dump();
    await (await request(`${url}/api/v1/sdk/stream?token=${key}`, { method: "HEAD" })).body.dump();
    await (await request(`${url}/api/v1/sdk/v2/flags`, { headers: { authorization: "Bearer wrong" } })).body.dump();
    await run.until((stdout) => stdout.includes("/v2/flags 401"));
    const lines = run.stdout().split("\n").filter((line) => / \d+(\.\d)? ms$/.test(line));
    expect(lines).toEqual([
      expect.stringMatching(/^rollgate-server: GET \/api\/v1\/sdk\/flags 200 \d+(\.\d)? ms$/),
      expect.stringMatching(/^rollgate-server: HEAD \/api\/v1\/sdk\/stream 200 \d+(\.\d)? ms$/),
      expect.stringMatching(/^rollgate-server: GET \/api\/v1\/sdk\/v2\/flags 401 \d+(\.\d)? ms$/),
    ]);
    expect(run.stdout() + run.stderr()).not.toContain(key);
    expect(run.stdout()).not.toContain("withReasons");
  });

  it("logs no request without --log-requests", async () => {
    const run = runCli(["--flags", "examples/flags.json", "--port", "0"]);
    const url = await run.listening;
    await (await request(`${url}/health`)).body.dump();
    run.child.kill("SIGTERM");
    await expect(run.exited).resolves.toBe(0);
    expect(run.stdout()).not.toContain("/health");
  });

  it("warns when it listens beyond loopback with the admin API on, and not with --no-admin", async () => {
    // Listening on every interface is the point of this test; it only ever talks to 127.0.0.1.
    const exposed = runCli(["--flags", "examples/flags.json", "--port", "0", "--host", "0.0.0.0"]);
    await exposed.listening;
    // stderr and stdout are separate pipes: wait for the warning rather than assume its order.
    await exposed.until((_, stderr) => stderr.includes("rollgate-server: warning: Listening on 0.0.0.0, which other hosts can reach, with the /admin API on"));
    exposed.child.kill("SIGTERM");
    await expect(exposed.exited).resolves.toBe(0);

    const closed = runCli(["--flags", "examples/flags.json", "--port", "0", "--host", "0.0.0.0", "--no-admin", "--admin-token", "t"]);
    const url = (await closed.listening).replace("0.0.0.0", "127.0.0.1");
    expect(closed.stderr()).toBe("");
    expect(closed.stdout()).toContain("Admin API: off (--no-admin)");
    expect(closed.stdout()).not.toContain("Page:");
    const reply = await request(`${url}/admin/flags`, { headers: { authorization: "Bearer t" } });
    expect(reply.statusCode).toBe(404);
    await reply.body.dump();
    const page = await request(`${url}/`);
    expect(page.statusCode).toBe(404);
    await page.body.dump();

    const local = runCli(["--flags", "examples/flags.json", "--port", "0"]);
    await local.listening;
    expect(local.stderr()).toBe("");
  });

  it("lists every issue of an invalid flags file, one per line", async () => {
    const path = join(directory, "three-issues.json");
    await writeFile(
      path,
      JSON.stringify({ flags: [{ key: "a", enabled: true, rolloutPercentage: 120 }, { key: "a", enabled: "yes" }, { enabled: true }] }),
    );
    const run = runCli(["--flags", path, "--port", "0"]);
    await expect(run.exited).resolves.toBe(1);
    expect(run.stderr().trim().split("\n")).toEqual([
      `rollgate-server: Invalid flags file ${path}: 3 issues. Fix them and try again.`,
      "  flags[0].rolloutPercentage: expected a number from 0 to 100, got the number 120",
      "  flags[1].enabled: expected a boolean, got the string \"yes\"",
      "  flags[2].key: expected a flag key (a non-empty string) (it is required)",
    ]);
  });

  it("with --watch, lists every issue of a bad edit, survives a FIFO in place of the file, and still stops on SIGTERM", async () => {
    const path = join(directory, "watched.json");
    await writeFile(path, JSON.stringify({ flags: [] }));
    const run = runCli(["--flags", path, "--port", "0", "--watch"]);
    await run.listening;
    await writeFile(path, JSON.stringify({ flags: [{ key: "a", enabled: 1 }, { key: "b", enabled: 2 }] }));
    await run.until((_, stderr) => stderr.includes("flags[1].enabled"));
    expect(run.stderr()).toContain("\n  flags[0].enabled: expected a boolean, got the number 1\n  flags[1].enabled: expected a boolean, got the number 2\n");
    await rm(path);
    execFileSync("mkfifo", [path]);
    await run.until((_, stderr) => stderr.includes("it is not a regular file (a FIFO)"));
    run.child.kill("SIGTERM");
    await expect(run.exited).resolves.toBe(0);
  });

  it("prints usage for --help and exits 0", async () => {
    const run = runCli(["--help"]);
    await expect(run.exited).resolves.toBe(0);
    expect(run.stdout()).toContain("Usage: rollgate-server --flags FILE");
  });
});
