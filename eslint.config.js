import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { roomsPlugin } from "./eslint/rooms.js";

// The rooms of src/ and their order live in one table, in docs/architecture.md.
const rooms = roomsPlugin({ root: import.meta.dirname, table: "docs/architecture.md" });

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/server/cli.ts"],
    rules: { "no-console": "error" },
  },
  {
    // Classic zod in the bundle costs ~20 ms of every import of rollgate (see tsup.config.ts).
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "zod", message: 'Use "zod/mini" (import * as z from "zod/mini"), and pass IN_ENGLISH to safeParse.' }] },
      ],
    },
  },
  {
    // Every room depends only downward, and nothing imports itself back (docs/architecture.md).
    files: ["src/**/*.ts"],
    plugins: { rooms },
    rules: { "rooms/import-downward": "error", "rooms/no-cycle": "error" },
  },
);
