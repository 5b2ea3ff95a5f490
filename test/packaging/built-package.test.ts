import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { silentLogger } from "../../src/logger/logger";
import { startServer, type RollgateServer } from "../../src/server";

/**
 * The package as users get it: `npm run build`, `npm pack`, the tarball unpacked into a
 * consumer's node_modules (inside this repository, so that rollgate's own dependencies resolve
 * from ours), then used the ways people use it: ESM and CommonJS, both entries, bundled with
 * esbuild, type-checked with `moduleResolution: node10`. One build for the whole file (~6 s).
 */

const run = promisify(execFile);
const ROOT = process.cwd();
const NODE = process.execPath;

interface PackedFile {
  readonly path: string;
  readonly size: number;
}
interface PackResult {
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly PackedFile[];
}

let consumer: string;
let packed: PackResult;
let server: RollgateServer;

beforeAll(async () => {
  await run("npx", ["tsup", "--silent"], { cwd: ROOT });
  const work = join(ROOT, "node_modules", ".cache", "rollgate-pack-test");
  await mkdir(work, { recursive: true });
  consumer = await mkdtemp(join(work, "consumer-"));
  const [result] = JSON.parse((await run("npm", ["pack", "--json", "--pack-destination", consumer], { cwd: ROOT })).stdout) as (PackResult & { filename: string })[];
  packed = result!;
  const installed = join(consumer, "node_modules", "rollgate");
  await mkdir(installed, { recursive: true });
  await run("tar", ["-xzf", join(consumer, result!.filename), "-C", installed, "--strip-components=1"]);
  server = await startServer({ flagsFile: "examples/flags.json", logger: silentLogger });
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (consumer !== undefined) await rm(consumer, { recursive: true, force: true });
});

async function node(file: string, source: string, env: Record<string, string> = {}): Promise<string> {
  await writeFile(join(consumer, file), source);
  const { stdout } = await run(NODE, [file], { cwd: consumer, env: { ...process.env, ...env } });
  return stdout.trim();
}

describe("the tarball", () => {
  it("ships what users run, the example flags file, no sourcemaps and no ESM build of the CLI", () => {
    const paths = packed.files.map((f) => f.path).sort();
    expect(paths).toEqual(
      expect.arrayContaining(["README.md", "package.json", "examples/flags.json", "dist/index.js", "dist/index.cjs", "dist/errors.cjs", "dist/index.d.ts", "dist/index.d.cts", "dist/server/index.js", "dist/server/index.cjs", "dist/server/cli.cjs"]),
    );
    expect(paths.filter((p) => p.endsWith(".map") || p === "dist/server/cli.js" || p === "dist/errors.js")).toEqual([]);
    // Before: 697 kB packed, 2.6 MB unpacked (sourcemaps, one copy of the common code per entry).
    // After: about 430 kB packed / 1.9 MB unpacked with per-user scopes, events, telemetry, the
    // openfeature and testing entries, and rxjs (tree-shaken) and zod bundled into the ES
    // modules for the cold start (tsup.config.ts says what each costs and saves).
    expect(packed.size).toBeLessThan(500_000);
    expect(packed.unpackedSize).toBeLessThan(2_200_000);
  });

  it("runs the rollgate-server bin from the tarball", async () => {
    const { stdout } = await run(NODE, [join(consumer, "node_modules/rollgate/dist/server/cli.cjs"), "--help"], { cwd: consumer });
    expect(stdout).toContain("Usage: rollgate-server --flags FILE");
  });

  it("lets code find the example flags file by package path", async () => {
    const out = await node("resolve-flags.cjs", `console.log(require("rollgate/examples/flags.json").flags.length > 0);`);
    expect(out).toBe("true");
  });
});

/** The README's code block that follows `after` (a heading or a marker line), pointed at the local server. */
function readmeBlock(after: string): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`${after}\n`);
  if (start < 0) throw new Error(`README.md has no "${after}".`);
  const match = /```\w*\n([\s\S]*?)\n```/.exec(readme.slice(start));
  if (match === null) throw new Error(`README.md has no code block after "${after}".`);
  return match[1]!.replaceAll('"rg_server_..."', JSON.stringify(server.apiKey)).replaceAll('"https://api.rollgate.io"', JSON.stringify(server.url));
}

describe("the README's quick start, as a user runs it", () => {
  it("runs the ES-module form as a .mjs file", async () => {
    await expect(node("quick-start.mjs", readmeBlock("## Quick start"))).resolves.toBe("");
    expect(server.received.identifies.map((identify) => identify.user?.id)).toContain("user-123");
  });

  it("runs the CommonJS form in a project made by npm init -y", async () => {
    const project = join(consumer, "commonjs-project");
    await mkdir(project, { recursive: true });
    await run("npm", ["init", "-y"], { cwd: project });
    await writeFile(join(project, "index.js"), readmeBlock("<!-- readme-test: commonjs -->"));
    const { stdout } = await run(NODE, ["index.js"], { cwd: project });
    expect(stdout.trim()).toMatch(/^my-feature: (true|false)$/);
  });
});

describe("errors across entries and builds", () => {
  it("shares one copy of the error classes between rollgate and rollgate/server in each format", async () => {
    const esm = await node(
      "same-class.mjs",
      `import { RollgateConfigError } from "rollgate";
       import { FlagsFileError } from "rollgate/server";
       console.log(Object.getPrototypeOf(FlagsFileError) === RollgateConfigError);`,
    );
    const cjs = await node(
      "same-class.cjs",
      `const { RollgateConfigError } = require("rollgate");
       const { FlagsFileError } = require("rollgate/server");
       console.log(Object.getPrototypeOf(FlagsFileError) === RollgateConfigError);`,
    );
    expect([esm, cjs]).toEqual(["true", "true"]);
  });

  it("recognises an error from one format with the other format's classes", async () => {
    const out = await node(
      "cross.mjs",
      `import { createRequire } from "node:module";
       import * as esm from "rollgate";
       import * as esmServer from "rollgate/server";
       const require = createRequire(import.meta.url);
       const cjs = require("rollgate");
       const cjsServer = require("rollgate/server");
       const fromEsm = new esmServer.FlagsFileError("flags file f.json", [{ path: "flags", message: "expected an array" }]);
       const fromCjs = new cjs.TimeoutError(5);
       console.log(JSON.stringify([
         esm.RollgateError !== cjs.RollgateError,
         fromEsm instanceof cjs.RollgateError,
         fromEsm instanceof cjs.RollgateConfigError,
         fromEsm instanceof cjsServer.FlagsFileError,
         fromEsm instanceof cjs.TimeoutError,
         fromCjs instanceof esm.RollgateError,
         fromCjs instanceof esm.TimeoutError,
         esm.RollgateError.isRollgateError(fromCjs),
         fromEsm.name,
         fromCjs.name,
       ]));`,
    );
    expect(JSON.parse(out)).toEqual([true, true, true, true, false, true, true, true, "FlagsFileError", "TimeoutError"]);
  });
});

describe("loading undici", () => {
  // undici's package entry (fetch, WebSocket, caches, mocks) costs 56 ms in a fresh process; the
  // agent and request modules the client uses, 20 ms. The first request loads them, not the import.
  const undiciFiles = `Object.keys(require.cache).filter((f) => f.includes("/node_modules/undici/")).map((f) => f.split("/node_modules/undici/")[1])`;
  const script = (load: string) => `${load}
    (async () => {
      const before = ${undiciFiles};
      const client = new RollgateClient({ apiKey: process.env.KEY, baseUrl: process.env.URL, cache: false, refreshInterval: 0 });
      await client.init();
      const after = ${undiciFiles};
      console.log(JSON.stringify({ before: before.length, entry: after.includes("index.js"), agent: after.includes("lib/dispatcher/agent.js"), theme: client.getString("theme", "none") }));
      await client.close();
    })();`;

  it.each([
    ["an ES module", "undici-load.mjs", `import { createRequire } from "node:module"; import { RollgateClient } from "rollgate"; const require = createRequire(import.meta.url);`],
    ["CommonJS", "undici-load.cjs", `const { RollgateClient } = require("rollgate");`],
  ])("from %s: none of it on import, then only the agent and request modules at init", async (_format, file, load) => {
    const out = JSON.parse(await node(file, script(load), { KEY: server.apiKey, URL: server.url })) as Record<string, unknown>;
    expect(out).toEqual({ before: 0, entry: false, agent: true, theme: expect.not.stringMatching(/^none$/) });
  });
});

describe("bundling an ESM app with esbuild", () => {
  const app = `import { RollgateClient } from "rollgate";
    const client = new RollgateClient({ apiKey: process.env.KEY, baseUrl: process.env.URL, cache: false });
    await client.init();
    console.log(client.getString("theme", "none"));
    await client.close();`;

  it("runs against the local server with the README's createRequire banner", async () => {
    const { build } = await import("esbuild");
    await writeFile(join(consumer, "app.mjs"), app);
    await build({
      entryPoints: [join(consumer, "app.mjs")],
      outfile: join(consumer, "bundle.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      logLevel: "silent",
      // The README's one-line fix: undici (CommonJS) requires node: built-ins at run time.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const { stdout } = await run(NODE, ["bundle.mjs"], { cwd: consumer, env: { ...process.env, KEY: server.apiKey, URL: server.url } });
    expect(stdout.trim()).not.toBe("none");
    expect(stdout.trim()).toMatch(/^\S+$/);
  });
});

describe("types", () => {
  it("resolves rollgate and rollgate/server with moduleResolution node10", async () => {
    const dir = join(consumer, "node10");
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node10", target: "ES2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["index.ts"] }),
    );
    await writeFile(
      join(dir, "index.ts"),
      `import { RollgateClient, RollgateError } from "rollgate";
       import { startServer, FlagsFileError, type ServerOptions } from "rollgate/server";
       const options: ServerOptions = { port: 0 };
       export const check = (e: unknown): string => (e instanceof FlagsFileError ? e.issues[0]!.path : e instanceof RollgateError ? e.code : "");
       export { RollgateClient, startServer, options };`,
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    await expect(run(NODE, [tsc, "-p", dir], { cwd: dir })).resolves.toBeDefined();
    expect(await readdir(dir)).toEqual(expect.arrayContaining(["index.ts"]));
  });
});
