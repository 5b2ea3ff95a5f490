import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

/**
 * Starts V8's CPU profiler in this process, sampling every `intervalUs` µs, when `out` names a
 * file; resolves a function that stops it and writes the profile there (a no-op without `out`),
 * for bench/profile/summarise-profile.ts.
 */
export async function startCpuProfile(out: string | undefined, intervalUs: number): Promise<() => Promise<void>> {
  if (out === undefined) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: intervalUs });
  await session.post("Profiler.start");
  return async () => {
    writeFileSync(out, JSON.stringify((await session.post("Profiler.stop")).profile));
    session.disconnect();
  };
}
