import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import * as rollgate from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { parseFlagsFileText } from "../../src/server/flags-file";
import { REPO_ROOT, startExampleServer } from "./support/example-server";

/** One fenced code block of README.md. */
interface CodeBlock {
  readonly language: string;
  readonly code: string;
  /** 1-based line of the block's first code line in README.md. */
  readonly line: number;
  /** Preceded by `<!-- readme-test: run -->`: also executed against the local server. */
  readonly run: boolean;
}

const README = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const RUN_MARKER = "<!-- readme-test: run -->";
/** Marks a CommonJS ```js block that test/packaging/built-package.test.ts runs against the packed tarball. */
const COMMONJS_MARKER = "<!-- readme-test: commonjs -->";

/** Whether the line before the block (blank lines aside) is `marker`. */
function blockIsMarked(block: CodeBlock, marker: string): boolean {
  const lines = README.split("\n");
  let previous = block.line - 3;
  while (previous >= 0 && lines[previous]!.trim() === "") previous--;
  return previous >= 0 && lines[previous]!.trim() === marker;
}

function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = /^```(\S*)\s*$/.exec(lines[index]!);
    if (opening === null) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && lines[end] !== "```") end++;
    if (end === lines.length) throw new Error(`README.md: the code block opened on line ${index + 1} is never closed.`);
    let previous = index - 1;
    while (previous >= 0 && lines[previous]!.trim() === "") previous--;
    blocks.push({
      language: opening[1]!,
      code: lines.slice(start, end).join("\n"),
      line: start + 1,
      run: previous >= 0 && lines[previous]!.trim() === RUN_MARKER,
    });
    index = end;
  }
  return blocks;
}

const blocks = codeBlocks(README);
const tsBlocks = blocks.filter((block) => block.language === "ts");

// ── Type-checking every ```ts block ──────────────────────────────────────────────────────────

/** Where the blocks live for the compiler: virtual files inside the repo, so imports resolve as in examples/. */
const VIRTUAL_DIR = join(REPO_ROOT, "test", "examples", "readme-blocks");
const blockPath = (block: CodeBlock) => join(VIRTUAL_DIR, `line-${block.line}.ts`);
const PRELUDE_PATH = join(VIRTUAL_DIR, "prelude.d.ts");

/** The free variables README blocks use, as a reader would have them in their own code. */
const PRELUDE = `
import type { IncomingHttpHeaders } from "node:http";
import type { RollgateClient, RollgateUser } from "rollgate";
import type { Express } from "express";
declare global {
  /** Who a request is for, from the app's authentication (examples/user-from-request.ts reads x-user-* headers). */
  function userFromRequest(request: { readonly headers: IncomingHttpHeaders }): RollgateUser | undefined;
  /** A client created as in the quick start. */
  const client: RollgateClient;
  /** An Express app. */
  const app: Express;
  /** The signed-in user of a request. */
  const user: { readonly role: string };
  /** An ioredis client. */
  const redis: {
    get(key: string): Promise<string | null>;
    set(key: string, value: string, mode: "EX", seconds: number): Promise<unknown>;
  };
}
export {};
`;

function typeCheck(): Map<string, readonly ts.Diagnostic[]> {
  const configFile = ts.readConfigFile(join(REPO_ROOT, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, REPO_ROOT);
  // Snippets may show a value without using it; everything else is as strict as the repo.
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
  // `export {}` makes each block a module: top-level await works and its names stay its own.
  const virtual = new Map<string, string>([[PRELUDE_PATH, PRELUDE], ...tsBlocks.map((block): [string, string] => [blockPath(block), `${block.code}\nexport {};\n`])]);
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = virtual.get(fileName);
    return text === undefined ? getSourceFile.call(host, fileName, languageVersion, ...rest) : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => virtual.get(fileName) ?? readFile.call(host, fileName);

  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const byFile = new Map<string, ts.Diagnostic[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const fileName = diagnostic.file?.fileName;
    // Only the README's own code: errors elsewhere are the repo's typecheck's to report.
    if (fileName === undefined || !virtual.has(fileName)) continue;
    byFile.set(fileName, [...(byFile.get(fileName) ?? []), diagnostic]);
  }
  return byFile;
}

function describeDiagnostic(block: CodeBlock, diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (diagnostic.file === undefined || diagnostic.start === undefined) return message;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `README.md:${block.line + line}: TS${diagnostic.code}: ${message}`;
}

describe("README.md", () => {
  let diagnostics: Map<string, readonly ts.Diagnostic[]>;

  beforeAll(() => {
    diagnostics = typeCheck();
  }, 120_000);

  it("has TypeScript blocks to check, and marks the quick start to run", () => {
    expect(tsBlocks.length).toBeGreaterThan(20);
    expect(README).toMatch(/## Quick start\n\n<!-- readme-test: run -->\n```ts\n/);
  });

  it.each(tsBlocks.map((block) => [block.line, block] as const))("type-checks the ts block at line %i", (_line, block) => {
    const errors = (diagnostics.get(blockPath(block)) ?? []).map((diagnostic) => describeDiagnostic(block, diagnostic));
    expect(errors).toEqual([]);
  });

  it("uses only ts and sh blocks, json flags files and CommonJS js blocks, so that no code escapes the checks", () => {
    const checked = (block: CodeBlock): boolean =>
      block.language === "ts" || block.language === "sh" || block.language === "json" || (block.language === "js" && blockIsMarked(block, COMMONJS_MARKER));
    expect(blocks.filter((block) => !checked(block)).map((block) => `line ${block.line}: ${block.language || "(none)"}`)).toEqual([]);
  });

  it.each(blocks.filter((block) => block.language === "json").map((block) => [block.line, block] as const))("shows a valid flags file in the json block at line %i", (_line, block) => {
    expect(() => parseFlagsFileText(block.code, `README.md line ${block.line}`)).not.toThrow();
  });

  it("opens with the two set-up commands", () => {
    const firstScreen = README.slice(0, README.indexOf("\n---\n"));
    expect(blocks.filter((block) => block.line < firstScreen.split("\n").length).map((block) => block.code)).toEqual([
      "npm install && npm run demo",
      "npm install && npm test",
    ]);
  });

  it("quotes bench/results/latest.json in its Performance section, figure for figure", () => {
    const check = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench/readme.ts"), "--check"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("quotes no measured time or ratio that is not generated (Performance section, `fig:` markers)", () => {
    // Measurements drift; limits and examples do not. A measured figure belongs in a
    // `<!-- fig:row-id -->…<!-- /fig -->` marker (bench/readme.ts), so that --check above covers it.
    // The package size is checked by test/packaging/built-package.test.ts (`pack:size`).
    const NOT_MEASURED = ["about 20 ms", "200 1.4 ms"]; // the regex budget (a limit); an example log line
    const prose = README.replace(/<!-- bench:begin[\s\S]*?<!-- bench:end -->/, "")
      .replace(/<!-- fig:[^>]+ -->.*?<!-- \/fig -->/g, "")
      .replace(/```[\s\S]*?```/g, "")
      .replace(/`[^`\n]*`/g, (code) => (NOT_MEASURED.some((phrase) => code.includes(phrase)) ? "" : code));
    const measured = [...prose.matchAll(/(?:about )?(?<![\w.])(?<!≤ )\d[\d,.]*\s?(?:ns|µs|ms|×)(?![\w])/g)].map((match) => match[0]).filter((figure) => !NOT_MEASURED.includes(figure));
    expect(measured).toEqual([]);
  });

  it("names only npm scripts that exist and example files that exist", () => {
    const scripts = Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    const named = [...README.matchAll(/npm run ([a-z][\w:-]*)/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((script) => !scripts.includes(script))).toEqual([]);
    const paths = [...README.matchAll(/\b((?:examples|test\/examples)\/[\w./-]*\w\/?)/g)].map((match) => match[1]!);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !existsSync(join(REPO_ROOT, path)))).toEqual([]);
  });
});

// ── Running the blocks marked to run ─────────────────────────────────────────────────────────

/** A client class that sends whatever the block configures to the local server instead. */
function localClientClass(server: RollgateServer, created: rollgate.RollgateClient[]): typeof rollgate.RollgateClient {
  return class LocalRollgateClient extends rollgate.RollgateClient {
    constructor(options: rollgate.RollgateOptions) {
      super({ ...options, apiKey: server.apiKey, baseUrl: server.url, cache: false, logger: rollgate.silentLogger });
      created.push(this);
    }
  };
}

/** Transpiles a block to CommonJS and runs it, with `require("rollgate")` pointed at the local server. */
async function runBlock(block: CodeBlock, server: RollgateServer, globals: { readonly client: rollgate.RollgateClient }) {
  const created: rollgate.RollgateClient[] = [];
  const printed: string[] = [];
  const { outputText } = ts.transpileModule(block.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: `README.md-line-${block.line}.ts`,
  });
  const localRollgate = { ...rollgate, RollgateClient: localClientClass(server, created) };
  const requireForBlock = (specifier: string): unknown => {
    if (specifier === "rollgate") return localRollgate;
    throw new Error(`README.md line ${block.line}: a block marked to run may import only "rollgate", not "${specifier}".`);
  };
  const quietConsole = { ...console, log: (...values: unknown[]) => printed.push(values.map(String).join(" ")) };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...parameters: string[]) => (...args: unknown[]) => Promise<void>;
  // In a nested scope, so that a block may declare its own `client`.
  const body = new AsyncFunction("require", "exports", "module", "console", "client", `{\n${outputText}\n}`);
  const module = { exports: {} };
  try {
    await body(requireForBlock, module.exports, module, quietConsole, globals.client);
  } finally {
    await Promise.all(created.map((client) => client.close()));
  }
  return { created, printed };
}

describe("README.md blocks marked to run", () => {
  let server: RollgateServer;
  let client: rollgate.RollgateClient;
  const marked = tsBlocks.filter((block) => block.run);
  const blockAfter = (heading: string) => {
    const headingLine = README.split("\n").indexOf(heading) + 1;
    const block = marked.find((candidate) => candidate.line > headingLine);
    if (headingLine === 0 || block === undefined) throw new Error(`README.md has no block marked to run after "${heading}".`);
    return block;
  };

  beforeEach(async () => {
    server = await startExampleServer();
    client = new rollgate.RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, logger: rollgate.silentLogger });
    await client.init();
  });

  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it("runs the quick start: init, a flag check, identify and close, against the local server", async () => {
    const { created } = await runBlock(blockAfter("## Quick start"), server, { client });
    expect(created).toHaveLength(1);
    expect(created[0]!.getStatus()).toMatchObject({ ready: true, source: "server", closed: true });
    expect(server.received.identifies.map((identify) => identify.user?.id)).toEqual(["user-123"]);
  });

  it("runs the async usage example and prints the server's flags", async () => {
    const { printed } = await runBlock(blockAfter("## Async usage"), server, { client });
    expect(printed).toEqual([expect.stringMatching(/^Feature enabled: (true|false)$/), "Theme: light"]);
  });

  it("runs the circuit breaker example", async () => {
    const states: string[] = [];
    client.circuitState$.subscribe((state) => states.push(state));
    await runBlock(blockAfter("## Circuit breaker"), server, { client });
    expect(client.getCircuitState()).toBe("closed");
    expect(states).toEqual(["closed"]);
  });

  it("runs every marked block (no marker left untested)", () => {
    expect(marked.map((block) => block.line)).toEqual(
      ["## Quick start", "## Async usage", "## Circuit breaker"].map((heading) => blockAfter(heading).line),
    );
  });
});
