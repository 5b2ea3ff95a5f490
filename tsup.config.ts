import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "server/index": "src/server/index.ts",
    "server/cli": "src/server/cli.ts",
    "openfeature/index": "src/openfeature/index.ts",
  },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", "server/index": "src/server/index.ts", "openfeature/index": "src/openfeature/index.ts" } },
  // rollgate/openfeature imports the client from "rollgate" itself, so that the provider and your
  // code share one RollgateClient class (and its types) instead of a second bundled copy.
  external: ["rollgate"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  splitting: false,
});
