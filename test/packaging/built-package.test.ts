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
  // `npm run build` empties dist/ first: chunks left by an earlier build (their names are hashes)
  // would otherwise be packed too, and the size checked below would be that of old builds.
  await run("npm", ["run", "build", "--silent"], { cwd: ROOT });
  const work = join(ROOT, "node_modules", ".cache", "rollgate-pack-test");
  await mkdir(work, { recursive: true });
  consumer = await mkdtemp(join(work, "consumer-"));
  const [result] = JSON.parse((await run("npm", ["pack", "--json", "--pack-destination", consumer], { cwd: ROOT })).stdout) as (PackResult & { filename: string })[];
  packed = result!;
  const installed = join(consumer, "node_modules", "rollgate");
  await mkdir(installed, { recursive: true });
  await run("tar", ["-xzf", join(consumer, result!.filename), "-C", installed, "--strip-components=1"]);
  server = await startServer({ flagsFile: "examples/flags.json", logger: silentLogger });
}, 420_000); // the build takes ~6 s on a quiet machine, minutes on a loaded 2-core one

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
  });

  it("writes the flag codes into the getters as literals, in both builds (a const enum, not a module variable read per call)", () => {
    for (const file of ["dist/index.js", "dist/index.cjs"]) {
      const built = readFileSync(join(ROOT, file), "utf8");
      const getString = / {2}getString\(key, defaultValue\) \{\n[\s\S]*?\n {2}\}\n/.exec(built)?.[0];
      expect([file, getString?.includes("=== 3 /* ServedString */")]).toEqual([file, true]);
      expect([file, /\bFlagCode\s*[.[]/.test(built)]).toEqual([file, false]);
    }
  });

  it("keeps what the getters call in their own module of the ES build (a function imported from a shared chunk costs a load and a check per call)", () => {
    const built = readFileSync(join(ROOT, "dist/index.js"), "utf8");
    const imported = new Set<string>();
    for (const [, names] of built.matchAll(/^import \{([^}]*)\} from "[^"]+";$/gm)) {
      for (const name of names!.split(",")) imported.add(name.trim().split(/\s+as\s+/).at(-1)!);
    }
    const callsIn = (body: string) => [...body.matchAll(/([A-Za-z_$][\w$]*)\(/g)].map((match) => match[1]!);
    const getters = ["isEnabled", "getValue", "getString", "getNumber", "getJson"].map((name) => new RegExp(` {2}${name}\\(key, defaultValue(?:, schema)?\\) \\{\\n[\\s\\S]*?\\n {2}\\}\\n`).exec(built)?.[0]);
    expect(getters.map((body) => body !== undefined)).toEqual([true, true, true, true, true]);
    // What they call, and what that calls in turn, among the module's own functions.
    const called = new Set(getters.flatMap((body) => callsIn(body!)));
    for (const name of called) {
      const body = new RegExp(`^function ${name.replace("$", "\\$")}\\([^)]*\\) \\{\\n[\\s\\S]*?\\n\\}\\n`, "m").exec(built)?.[0];
      if (body !== undefined) for (const inner of callsIn(body)) called.add(inner);
    }
    expect([...called].filter((name) => ["countAt", "servedAt", "servedValueOr"].includes(name)).sort()).toEqual(["countAt", "servedAt", "servedValueOr"]);
    expect([...called].filter((name) => imported.has(name))).toEqual([]);
  });

  it("is the size the README says, within 5 %", () => {
    // The README's figure, `<!-- pack:size -->about 340 kB (1.28 MB unpacked)<!-- /pack -->`, in
    // npm's units (1 kB = 1,000 bytes).
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const figure = /<!-- pack:size -->about ([\d.]+) kB \(([\d.]+) MB unpacked\)<!-- \/pack -->/.exec(readme);
    const actual = `about ${Math.round(packed.size / 10_000) * 10} kB (${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked)`;
    expect(figure).not.toBeNull();
    const [said, saidUnpacked] = [Number(figure![1]) * 1000, Number(figure![2]) * 1e6];
    const near = (value: number, reference: number) => Math.abs(value - reference) <= 0.05 * reference;
    if (!near(packed.size, said) || !near(packed.unpackedSize, saidUnpacked)) {
      throw new Error(`README.md says the package is "${figure![0]}"; npm pack gives ${packed.size} bytes (${packed.unpackedSize} unpacked): write "${actual}".`);
    }
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

/**
 * Every code entry of package.json `exports` (an entry added there is tested without editing
 * this file), loaded from the tarball the way users load it, with `require` and with `import`,
 * and one thing from each used. The repo's jest maps these entries to src/, so only this catches
 * a build that ships a broken entry (`rollgate/testing` once required a `./errors.cjs` that
 * sits one folder up).
 */
type ExportConditions = Readonly<Record<string, unknown>>;
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, string | ExportConditions> };
const codeEntries = Object.entries(manifest.exports)
  .filter(([, target]) => typeof target === "object" && "import" in target && "require" in target)
  .map(([key]) => (key === "." ? "rollgate" : `rollgate/${key.slice(2)}`));

/**
 * What each entry is used for: an async function body over `root` (the `rollgate` entry, same
 * format) and `m` (the entry), returning what it printed. An entry without one here (a new one)
 * must export at least one function or class.
 */
const USES: Readonly<Record<string, { readonly body: string; readonly expected: unknown }>> = {
  rollgate: {
    body: `const client = new m.RollgateClient({ apiKey: process.env.KEY, baseUrl: process.env.URL, cache: false, refreshInterval: 0 });
      await client.init();
      const theme = client.getString("theme", "none");
      await client.close();
      return theme !== "none";`,
    expected: true,
  },
  "rollgate/server": {
    body: `const server = await m.startServer({ flagsFile: process.env.FLAGS, port: 0, logger: { debug() {}, info() {}, warn() {}, error() {} } });
      const up = server.url.startsWith("http://127.0.0.1:");
      await server.close();
      return up && Object.getPrototypeOf(m.FlagsFileError) === root.RollgateConfigError;`,
    expected: true,
  },
  "rollgate/openfeature": {
    body: `const client = new root.RollgateClient({ apiKey: "k", baseUrl: process.env.URL });
      const name = new m.RollgateProvider(client).metadata.name;
      await client.close();
      return [m.contextToUser({ targetingKey: "user-1", plan: "pro" }).id, name];`,
    expected: ["user-1", "rollgate"],
  },
  "rollgate/testing": {
    body: `const td = new m.TestData();
      await td.update(td.flag("new-checkout").on());
      const client = new root.RollgateClient({ apiKey: "test", testData: td });
      await client.init();
      const on = client.isEnabled("new-checkout", false);
      await client.close();
      return on;`,
    expected: true,
  },
};
const GENERIC_USE = { body: `return Object.values(m).some((value) => typeof value === "function");`, expected: true };

describe("every entry in package.json exports", () => {
  it("includes the four documented entries", () => {
    expect(codeEntries).toEqual(expect.arrayContaining(["rollgate", "rollgate/server", "rollgate/openfeature", "rollgate/testing"]));
  });

  it.each(codeEntries)("%s loads and works with require and with import, with the same exports", async (entry) => {
    const use = USES[entry] ?? GENERIC_USE;
    const report = `console.log(JSON.stringify({ exports: Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort(), used: await (async () => { ${use.body} })() }));`;
    const env = { KEY: server.apiKey, URL: server.url, FLAGS: join(ROOT, "examples/flags.json") };
    const file = entry.replace("/", "-");
    const esm = await node(`${file}.mjs`, `import * as root from "rollgate"; import * as m from "${entry}";\n${report}`, env);
    const cjs = await node(`${file}.cjs`, `const root = require("rollgate"); const m = require("${entry}");\n(async () => { ${report} })().catch((e) => { console.error(e); process.exit(1); });`, env);
    const [fromImport, fromRequire] = [JSON.parse(esm), JSON.parse(cjs)] as { exports: string[]; used: unknown }[];
    expect(fromRequire!.used).toEqual(use.expected);
    expect(fromImport!.used).toEqual(use.expected);
    expect(fromRequire!.exports).toEqual(fromImport!.exports);
    expect(fromImport!.exports.length).toBeGreaterThan(0);
  }, 60_000);
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
  // agent and request modules the client uses, 20 ms, and compiling its parser more at exit. The
  // first flags request goes over node:http: init loads only the one small module that proves
  // undici could load here, and the second request loads the agent and request modules.
  const undiciFiles = `Object.keys(require.cache).filter((f) => f.includes("/node_modules/undici/")).map((f) => f.split("/node_modules/undici/")[1])`;
  const script = (load: string) => `${load}
    (async () => {
      const before = ${undiciFiles};
      const client = new RollgateClient({ apiKey: process.env.KEY, baseUrl: process.env.URL, cache: false, refreshInterval: 0 });
      await client.init();
      const atInit = ${undiciFiles};
      const theme = client.getString("theme", "none");
      await client.refresh();
      const after = ${undiciFiles};
      console.log(JSON.stringify({ before: before.length, atInit, entry: after.includes("index.js"), agent: after.includes("lib/dispatcher/agent.js"), theme, refreshed: client.getString("theme", "none") }));
      await client.close();
    })();`;

  it.each([
    ["an ES module", "undici-load.mjs", `import { createRequire } from "node:module"; import { RollgateClient } from "rollgate"; const require = createRequire(import.meta.url);`],
    ["CommonJS", "undici-load.cjs", `const { RollgateClient } = require("rollgate");`],
  ])("from %s: none of it on import, one small module at init, the agent and request modules at the second request", async (_format, file, load) => {
    const out = JSON.parse(await node(file, script(load), { KEY: server.apiKey, URL: server.url })) as Record<string, unknown>;
    const served = expect.not.stringMatching(/^none$/);
    expect(out).toEqual({ before: 0, atInit: ["lib/handler/cache-revalidation-handler.js"], entry: false, agent: true, theme: served, refreshed: served });
  });
  it("a client that reads its flags and closes never loads undici's HTTP stack, and its telemetry still reaches the server", async () => {
    const before = server.received.telemetry.length;
    const script = `const { RollgateClient } = require("rollgate");
      (async () => {
        const client = new RollgateClient({ apiKey: process.env.KEY, baseUrl: process.env.URL, cache: false, refreshInterval: 0 });
        await client.init();
        const theme = client.getString("theme", "none");
        await client.close();
        console.log(JSON.stringify({ theme, undici: ${undiciFiles}, sent: client.getStatus().telemetry.sentEvaluations }));
      })();`;
    const out = JSON.parse(await node("read-and-close.cjs", script, { KEY: server.apiKey, URL: server.url })) as Record<string, unknown>;
    expect(out).toEqual({ theme: expect.not.stringMatching(/^none$/), undici: ["lib/handler/cache-revalidation-handler.js"], sent: 1 });
    expect(server.received.telemetry.length).toBe(before + 1);
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

  it("without the banner, init() fails at once with a configuration error that says the fix, not as an outage", async () => {
    const { build } = await import("esbuild");
    await writeFile(
      join(consumer, "app-no-banner.mjs"),
      `import { RollgateClient } from "rollgate";
       const logged = [];
       const log = (message) => logged.push(message);
       const client = new RollgateClient({ apiKey: process.env.KEY, baseUrl: process.env.URL, cache: false, logger: { debug() {}, info: log, warn: log, error: log } });
       const started = performance.now();
       const outcome = await client.init().then(() => ({ resolved: true }), (error) => ({ code: error.code, option: error.option, message: error.message }));
       const ms = performance.now() - started;
       console.log(JSON.stringify({ ...outcome, fast: ms < 3000, circuit: client.getCircuitState(), logged }));
       await client.close();`,
    );
    await build({ entryPoints: [join(consumer, "app-no-banner.mjs")], outfile: join(consumer, "bundle-no-banner.mjs"), bundle: true, platform: "node", format: "esm", logLevel: "silent" });
    // Before the fix, init() waited out its retries and the process polled a "down" server for ever.
    const { stdout } = await run(NODE, ["bundle-no-banner.mjs"], { cwd: consumer, env: { ...process.env, KEY: server.apiKey, URL: server.url }, timeout: 15_000 });
    const out = JSON.parse(stdout.trim()) as { code: string; option: string; message: string; fast: boolean; circuit: string; logged: string[] };
    expect(out).toEqual(expect.objectContaining({ code: "CONFIG_INVALID", option: "bundle", fast: true, circuit: "closed" }));
    expect(out.message).toContain('Dynamic require of "node:');
    expect(out.message).toContain("createRequire(import.meta.url)");
    expect(out.message).toContain("--packages=external");
    expect(out.logged.join("\n")).not.toMatch(/reach|network/i);
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
