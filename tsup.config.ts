import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "server/index": "src/server/index.ts",
    "server/cli": "src/server/cli.ts",
  },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", "server/index": "src/server/index.ts" } },
  target: "node20",
  platform: "node",
  // Maps would point into ../src, which the package does not ship (measured in the README's
  // "Package size"): stack traces name the bundled files, whose code is unminified and readable.
  sourcemap: false,
  clean: true,
  // Code splitting (also for CommonJS): what the entries have in common (errors, logger, the
  // server's modules the CLI uses) is one chunk per format, so `FlagsFileError` from
  // `rollgate/server` extends the very `RollgateConfigError` that `rollgate` exports. Across
  // the two formats, errors are recognised by a brand (see RollgateError). The ESM build of
  // the CLI is a few-kB stub over those chunks; package.json "files" leaves it out.
  splitting: true,
  // tsup's CommonJS splitting rewrites classes with fields as `(_class7 = class extends ...)`,
  // which loses their names: keep them, since `error.name` and the error brand rely on them.
  keepNames: true,
});
