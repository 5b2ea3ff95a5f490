/** @jest-config-loader esbuild-register */
import type { Config } from "jest";

const config: Config = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // tsconfig.jest.json sets isolatedModules, so tests are only transpiled: type-checking is
    // `npm run typecheck`'s job, which keeps the suite fast on a 2-core machine.
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.jest.json" }],
  },
  moduleNameMapper: {
    "^rollgate$": "<rootDir>/src/index.ts",
    "^rollgate/server$": "<rootDir>/src/server/index.ts",
    "^rollgate/openfeature$": "<rootDir>/src/openfeature/index.ts",
    "^rollgate/testing$": "<rootDir>/src/testing/index.ts",
    "^rollgate/otel$": "<rootDir>/src/otel/index.ts",
    "^rollgate/redis$": "<rootDir>/src/redis/index.ts",
  },
  testTimeout: 20_000,
  // Fail on open handles: `close()` must leave nothing running.
  detectOpenHandles: false,
  forceExit: false,
};

export default config;
