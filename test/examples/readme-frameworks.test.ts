import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import type { RollgateServer } from "rollgate/server";
import { getJson, REPO_ROOT, startExampleServer, temporaryDir } from "./support/example-server";
import { spawnExample, type RunningExample } from "./support/spawn-example";

/**
 * The README's framework snippets, run exactly as shown (tsx, env vars) against the local
 * server: each is written to a file in the repository, so that "rollgate" and the frameworks
 * resolve as they do for the examples.
 */

const README = readFileSync(join(REPO_ROOT, "README.md"), "utf8");

function snippetAfter(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  const match = /\n```ts\n([\s\S]*?)\n```\n/.exec(README.slice(start));
  if (start < 0 || match === null) throw new Error(`README.md has no ts block after "${heading}".`);
  return match[1]!;
}

/** A port nobody listens on right now, on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** GETs `url` until the snippet's server answers (it starts listening after init()). */
async function getWhenListening(url: string, example: RunningExample): Promise<{ status: number; body: unknown }> {
  const deadline = performance.now() + 15_000;
  for (;;) {
    try {
      return await getJson(url);
    } catch (error) {
      if (performance.now() > deadline) throw new Error(`${url} never answered: ${String(error)}\nstderr:\n${example.stderr()}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe.each([
  ["### Express", "/api/feature", { enabled: true }],
  ["### Fastify", "/api/feature", { enabled: true }],
  // /beta is gated on the request user's flag: a request without a user is refused.
  ["### NestJS", "/beta", { statusCode: 401, message: "Unknown user", error: "Unauthorized" }],
])("the README's %s snippet", (heading, path, expected) => {
  let rollgateServer: RollgateServer;
  let dir: string;
  let cacheHome: Awaited<ReturnType<typeof temporaryDir>>;
  let example: RunningExample | undefined;

  beforeEach(async () => {
    rollgateServer = await startExampleServer();
    cacheHome = await temporaryDir("rollgate-readme-");
    dir = await mkdtemp(join(REPO_ROOT, "test", "examples", "readme-snippet-"));
  });

  afterEach(async () => {
    await example?.stop("SIGKILL");
    await rollgateServer.close();
    await cacheHome.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs as shown: serves the local server's flags and exits cleanly on SIGTERM", async () => {
    const file = join(dir, "main.ts");
    // The snippets call userFromRequest(), the examples' stand-in for authentication (the README
    // points at examples/user-from-request.ts); the file is at test/examples/readme-snippet-*/.
    await writeFile(file, `import { userFromRequest } from "../../../examples/user-from-request";\n${snippetAfter(heading)}`);
    const port = await freePort();
    example = spawnExample(relative(join(REPO_ROOT, "examples"), file), {
      ROLLGATE_BASE_URL: rollgateServer.url,
      ROLLGATE_API_KEY: rollgateServer.apiKey,
      PORT: String(port),
      XDG_CACHE_HOME: cacheHome.path,
    });
    const answer = await getWhenListening(`http://127.0.0.1:${port}${path}`, example);
    expect(answer.body).toEqual(expected);
    // Exiting on its own (code 0) means close() left no timer, socket or stream open.
    expect(await example.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(example.stderr()).toBe("");
  });
});
