/** @jest-config-loader esbuild-register */
import { availableParallelism } from "node:os";
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
  // Two workers at least: jest's default (one fewer than the cores) runs the suite in one
  // process on a 2-core machine such as CI's, where many suites wait on real sockets and child
  // processes. On 2 cores a second worker took the suite from 437 s to 283 s.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // Fail on open handles: `close()` must leave nothing running.
  detectOpenHandles: false,
  forceExit: false,
};

export default config;
