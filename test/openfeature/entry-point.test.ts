import { execFileSync } from "node:child_process";
import { REPO_ROOT } from "../examples/support/example-server";

/** The modules a fresh Node process has loaded after requiring `entry` (tsx compiles the TypeScript). */
function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  return JSON.parse(execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" })) as string[];
}

describe("the rollgate/openfeature entry point", () => {
  it("importing rollgate does not load the OpenFeature SDK (an optional peer dependency)", () => {
    const loaded = modulesLoadedBy("./src/index.ts");
    expect(loaded.some((path) => path.includes("src/client/rollgate-client"))).toBe(true);
    expect(loaded.filter((path) => path.includes("@openfeature"))).toEqual([]);
  });

  it("importing rollgate/openfeature does", () => {
    const loaded = modulesLoadedBy("./src/openfeature/index.ts");
    expect(loaded.some((path) => path.includes("@openfeature/server-sdk"))).toBe(true);
  });
});
