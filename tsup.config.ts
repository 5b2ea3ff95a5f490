import { dirname, relative, resolve, sep } from "node:path";
import { defineConfig, type Options } from "tsup";

/**
 * Keeps ONE copy of what `rollgate` and `rollgate/server` share (the error classes) in each
 * module format, so that `FlagsFileError` from `rollgate/server` extends the very
 * `RollgateConfigError` that `rollgate` exports; between the formats, errors are recognised by
 * a brand (see RollgateError).
 *
 * - ES modules: tsup's default code splitting (esbuild's) puts shared code in chunks.
 * - CommonJS: tsup's splitting for CommonJS is experimental and rewrites the output with
 *   sucrase (`?.` and `??` become closure-allocating helpers, classes lose their names). So it
 *   stays off, `src/errors` is built once as `dist/errors.cjs`, and these two plugins make the
 *   other CommonJS files require it instead of bundling a copy. Likewise the CLI requires
 *   `dist/server/index.cjs` rather than bundling the server again.
 *
 * Where `dist/errors.cjs` is, relative to a file, depends on the OUTPUT file (dist/testing/index.cjs
 * needs `../errors.cjs`), not on the source file that imports the errors: one source file (say
 * src/client/…) is bundled into several entries in different folders. So esbuild marks the import
 * with a placeholder and `placeErrorsRequire` writes the path once each output file is known.
 */
const ERRORS = resolve("src/errors");
const SERVER = resolve("src/server");
const CLI = resolve("src/server/cli.ts");
const ERRORS_PLACEHOLDER = "rollgate-internal:errors";
const ERRORS_OUTPUT = resolve("dist/errors.cjs");

const within = (dir: string, path: string): boolean => path === dir || path.startsWith(`${dir}${sep}`);

const shareInCommonJs: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "share-in-commonjs",
  setup(build) {
    if (build.initialOptions.format !== "cjs") return;
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      const target = resolve(args.resolveDir, args.path);
      if (args.importer === CLI && within(SERVER, target)) return { path: "./index.cjs", external: true };
      if (!within(ERRORS, target) || within(ERRORS, dirname(args.importer))) return undefined;
      return { path: ERRORS_PLACEHOLDER, external: true };
    });
  },
};

/** Replaces the placeholder with the path from each CommonJS output file to dist/errors.cjs. */
const placeErrorsRequire: NonNullable<Options["plugins"]>[number] = {
  name: "place-errors-require",
  renderChunk(code, chunk) {
    if (this.format !== "cjs" || !code.includes(ERRORS_PLACEHOLDER)) return undefined;
    const path = relative(dirname(resolve(chunk.path)), ERRORS_OUTPUT).split(sep).join("/");
    return { code: code.replaceAll(`"${ERRORS_PLACEHOLDER}"`, JSON.stringify(path.startsWith(".") ? path : `./${path}`)) };
  },
};

const common = {
  entry: {
    index: "src/index.ts",
    "server/index": "src/server/index.ts",
    "server/cli": "src/server/cli.ts",
    "openfeature/index": "src/openfeature/index.ts",
    "testing/index": "src/testing/index.ts",
    "otel/index": "src/otel/index.ts",
    "redis/index": "src/redis/index.ts",
    errors: "src/errors/index.ts",
  },
  dts: { entry: { index: "src/index.ts", "server/index": "src/server/index.ts", "openfeature/index": "src/openfeature/index.ts", "testing/index": "src/testing/index.ts", "otel/index": "src/otel/index.ts", "redis/index": "src/redis/index.ts" } },
  // rollgate/openfeature and rollgate/otel import the client from "rollgate" itself, so that the provider and your
  // code share one RollgateClient class (and its types) instead of a second bundled copy.
  external: ["rollgate"],
  target: "node20",
  platform: "node",
  // No sourcemaps: they would point into ../src, which the package does not ship, and the
  // code is not minified, so stack traces read as they are. (With maps and their sources
  // inlined the tarball was 444 kB instead of 173 kB.)
  sourcemap: false,
  // `npm run build` empties dist/ first: the two configs below build in parallel.
  clean: false,
} satisfies Options;

export default defineConfig([
  {
    ...common,
    format: ["esm"],
    // Code-split (tsup's default for ESM): the SSE stack is a chunk loaded only when streaming
    // starts, and what the entries share is one chunk.
    //
    // Cold start: rxjs (from its ESM build, so that only the operators used are kept: 54 KB),
    // rxjs-for-await and zod are bundled instead of resolving, reading and compiling ~600 module
    // files. Measured import in a fresh process: 115 ms CPU with rxjs alone bundled, 92 ms with
    // zod too (LaunchDarkly's SDK: 95 ms), 68 ms with undici as well. undici stays a real
    // dependency (not vendored): it does the network I/O, and its security fixes must reach
    // users through their own installs, not wait for a rollgate release. Instead it is loaded at
    // the first request, and only its agent and request modules (src/transport/undici-http.ts):
    // importing rollgate then costs 35 ms, and the first request 20 ms for undici instead of 56. The bundled packages
    // stay dependencies for their types, and for callers that pass their own rxjs scheduler.
    // Every schema is written against zod/mini (functional API, tree-shaken): its chunk, core and
    // the English locale included, is 84 KB and imports in ~3.5 ms, where classic zod's whole
    // namespace (755 KB) took ~20 ms. Keep classic `zod` out of src/: esbuild splits shared code
    // by file, so one classic import would put classic's share of zod's core in the chunk that
    // every entry loads.
    noExternal: ["rxjs", "rxjs-for-await", "zod"],
    esbuildOptions(options) {
      options.alias = { rxjs: "./node_modules/rxjs/dist/esm/index.js" };
    },
  },
  {
    ...common,
    // CommonJS is not split (see shareInCommonJs) and bundles nothing: each entry would carry its
    // own copy of zod and rxjs (the tarball grew from 250 to 717 kB that way).
    format: ["cjs"],
    esbuildPlugins: [shareInCommonJs],
    plugins: [placeErrorsRequire],
  },
]);
