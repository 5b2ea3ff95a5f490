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
 *   stays off, `src/errors` is built once as `dist/errors.cjs`, and this plugin makes the other
 *   CommonJS files require it instead of bundling a copy. Likewise the CLI requires
 *   `dist/server/index.cjs` rather than bundling the server again.
 */
const ERRORS = resolve("src/errors");
const SERVER = resolve("src/server");
const OPENFEATURE = resolve("src/openfeature");
const TESTING = resolve("src/testing");
const CLI = resolve("src/server/cli.ts");

const within = (dir: string, path: string): boolean => path === dir || path.startsWith(`${dir}${sep}`);

const shareInCommonJs: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "share-in-commonjs",
  setup(build) {
    if (build.initialOptions.format !== "cjs") return;
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      const target = resolve(args.resolveDir, args.path);
      const from = dirname(args.importer);
      if (args.importer === CLI && within(SERVER, target)) return { path: "./index.cjs", external: true };
      if (!within(ERRORS, target) || within(ERRORS, from)) return undefined;
      // Modules under src/server (src/openfeature) are bundled into dist/server/ (dist/openfeature/); the rest into dist/.
      const outputDir = within(SERVER, from) ? "server" : within(OPENFEATURE, from) ? "openfeature" : within(TESTING, from) ? "testing" : ".";
      return { path: relative(outputDir, "errors.cjs").replace(/^(?!\.)/, "./"), external: true };
    });
  },
};

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "server/index": "src/server/index.ts",
    "server/cli": "src/server/cli.ts",
    "openfeature/index": "src/openfeature/index.ts",
    "testing/index": "src/testing/index.ts",
    errors: "src/errors/index.ts",
  },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", "server/index": "src/server/index.ts", "openfeature/index": "src/openfeature/index.ts", "testing/index": "src/testing/index.ts" } },
  // rollgate/openfeature imports the client from "rollgate" itself, so that the provider and your
  // code share one RollgateClient class (and its types) instead of a second bundled copy.
  external: ["rollgate"],
  target: "node20",
  platform: "node",
  // No sourcemaps: they would point into ../src, which the package does not ship, and the
  // code is not minified, so stack traces read as they are. (With maps and their sources
  // inlined the tarball was 444 kB instead of 173 kB.)
  sourcemap: false,
  clean: true,
  esbuildPlugins: [shareInCommonJs],
});
