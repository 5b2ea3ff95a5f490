// StrykerJS, for `npm run mutation` (mutation/run.ts), which runs it once per core file with
// only the test files that drive that file (mutation/targets.ts). Run bare (`npx stryker run
// --mutate src/x.ts`), it gives jest the tests related to the mutated file instead: all of them
// transitively, ~70 files for most core files, which is correct but slow.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "jest",
  jest: {
    projectType: "custom",
    configFile: "jest.config.ts",
    // jest's roots are test/ only, so --findRelatedTests cannot see src/ and finds nothing.
    config: { roots: ["<rootDir>/src", "<rootDir>/test"] },
    enableFindRelatedTests: true,
  },
  checkers: ["typescript"],
  tsconfigFile: "mutation/tsconfig.json",
  // Each mutant runs only the tests that covered it in the dry run.
  coverageAnalysis: "perTest",
  // The machine has 2 cores; a mutant's test run is one jest process.
  concurrency: 1,
  ignorePatterns: ["dist", "coverage", "reports", "bench/results"],
  reporters: ["clear-text", "progress", "html"],
  clearTextReporter: { reportTests: false, reportMutants: true, reportScoreTable: true },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
