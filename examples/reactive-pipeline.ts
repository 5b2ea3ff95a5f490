/**
 * An RxJS pipeline over rollgate: several flags and the circuit breaker's state combined into
 * one derived value, the service's operating mode, that emits only when the mode changes.
 *
 * Run: `npm run server` in one terminal, then `npx tsx examples/reactive-pipeline.ts`, and
 * change flags in another (see README, "The local server"):
 *   curl -X PUT http://127.0.0.1:8787/admin/flags/maintenance-mode \
 *     -H "Authorization: Bearer $ADMIN_TOKEN" -d '{"enabled":true,"rolloutPercentage":100}'
 * Environment: ROLLGATE_API_KEY, ROLLGATE_BASE_URL (default: the local server of `npm run server`).
 */
import { combineLatest, distinctUntilChanged, map, type Observable } from "rxjs";
import { RollgateClient } from "rollgate";

/** How the service runs right now. */
export type ServiceMode = "maintenance" | "degraded" | "full" | "basic";

/**
 * The service's mode, now and on every change:
 * - `maintenance` while the `maintenance-mode` flag is on, whatever else holds;
 * - `degraded` while the circuit is not closed (Rollgate unreachable: flags may be stale, so
 *   start nothing new that depends on them);
 * - `full` when both `new-feature` and `beta-dashboard` are on;
 * - `basic` otherwise.
 *
 * @example
 * serviceMode$(client).subscribe((mode) => log.info(`mode: ${mode}`));
 */
export function serviceMode$(client: RollgateClient): Observable<ServiceMode> {
  return combineLatest({
    maintenance: client.isEnabled$("maintenance-mode", false),
    newFeature: client.isEnabled$("new-feature", false),
    betaDashboard: client.isEnabled$("beta-dashboard", false),
    circuit: client.circuitState$,
  }).pipe(
    map(({ maintenance, newFeature, betaDashboard, circuit }): ServiceMode => {
      if (maintenance) return "maintenance";
      if (circuit !== "closed") return "degraded";
      return newFeature && betaDashboard ? "full" : "basic";
    }),
    distinctUntilChanged(),
  );
}

async function main(): Promise<void> {
  const client = new RollgateClient({
    apiKey: process.env.ROLLGATE_API_KEY ?? "rg_server_local_dev_key",
    baseUrl: process.env.ROLLGATE_BASE_URL ?? "http://127.0.0.1:8787",
    enableStreaming: true,
    user: { id: "user-123", attributes: { plan: "pro", country: "US", app_version: "2.1.0" } },
  });
  await client.init();
  // Completes when the client closes.
  serviceMode$(client).subscribe((mode) => console.log(`${new Date().toISOString()} mode: ${mode}`));
  console.log("Watching the service mode; change flags on the server, Ctrl-C to stop.");
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void client.close());
}

// Run only when executed directly, not when a test imports serviceMode$.
if (process.argv[1]?.endsWith("reactive-pipeline.ts")) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
