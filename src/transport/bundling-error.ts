import { RollgateConfigError } from "../errors";

// esbuild's stand-in for `require` in an ES-module bundle, when the bundle has no `require` in scope.
const DYNAMIC_REQUIRE = /Dynamic require of "([^"]+)" is not supported/;

/**
 * Recognises the failure of a bundle that cannot load undici, and turns it into a configuration
 * error that says the fix. undici is CommonJS and requires Node built-ins as it loads; bundled
 * into an ES module by esbuild without a `require` in scope, each of those throws
 * `Dynamic require of "node:assert" is not supported`. That is a build defect, not an outage:
 * left as it is, it would pass for a network error, open the circuit and serve defaults forever.
 * A `RollgateConfigError` is terminal instead, so `init()` rejects at once with this message.
 *
 * @param error What loading undici (or the streaming chunk that imports it) threw.
 * @returns The configuration error for a bundling defect, otherwise `error` itself.
 *
 * @example
 * await import("undici").catch((error: unknown) => { throw asBundlingError(error); });
 */
export function asBundlingError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : "";
  const match = DYNAMIC_REQUIRE.exec(message);
  if (match === null) return error;
  return new RollgateConfigError(
    "bundle",
    `This ES-module bundle cannot load undici, rollgate's HTTP client: it requires Node's "${match[1]}" at run time and the bundle has no \`require\` (${match[0]}). ` +
      "Bundle with esbuild's banner `--banner:js=\"import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\"`, " +
      "or leave undici out of the bundle (`--external:undici`, or `--packages=external`), or bundle as CommonJS (`--format=cjs`).",
    { cause: error },
  );
}
