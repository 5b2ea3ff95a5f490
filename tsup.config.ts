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
  sourcemap: true,
  clean: true,
  // Code splitting (ESM): the SSE stack is a chunk loaded only when streaming starts.
  splitting: true,
  // Cold start: one bundle instead of ~600 module files to resolve, read and compile (import
  // 232 → 125 ms CPU, measured by `npm run bench`, subject cold-start). rxjs is taken from its
  // ESM build so that only the operators used are kept (54 KB). The packages stay dependencies,
  // for their types and for callers that pass their own undici dispatcher or rxjs scheduler.
  noExternal: ["rxjs", "rxjs-for-await", "zod", "undici"],
  esbuildOptions(options) {
    options.alias = { rxjs: "./node_modules/rxjs/dist/esm/index.js" };
  },
  // undici is CommonJS and requires Node built-ins: give the ESM bundle a `require`.
  banner: ({ format }) => (format === "esm" ? { js: 'import { createRequire as __rollgateCreateRequire } from "node:module";\nconst require = __rollgateCreateRequire(import.meta.url);' } : {}),
});
