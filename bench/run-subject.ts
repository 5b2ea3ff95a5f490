/**
 * Runs one subject once, in this (fresh) process, and prints its rows as one JSON line after the
 * marker `BENCH_ROWS `. Started by bench/run.ts; run by hand for one subject:
 * `node --expose-gc --import tsx bench/run-subject.ts getters [--quick]`.
 */
import type { BenchSubject } from "./subject";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (name === undefined || !/^[a-z0-9-]+$/.test(name)) throw new Error("usage: run-subject.ts <subject> [--quick]");
  const module = (await import(`./subjects/${name}.ts`)) as { default: BenchSubject };
  const rows = await module.default.run({ quick: process.argv.includes("--quick") });
  process.stdout.write(`\nBENCH_ROWS ${JSON.stringify(rows)}\n`);
}

main().then(
  // Some comparison SDKs leave timers behind: the rows are out, so leave now.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench subject failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
