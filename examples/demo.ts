/**
 * `npm run demo`: a scripted tour of rollgate against the bundled local Rollgate server, with
 * real output. It starts the server in this process on a free port with examples/flags.json,
 * then walks through reading flags, targeting, live changes, streaming, an outage (circuit
 * breaker, last snapshot, persistent cache) and the recovery. It takes a few seconds, exits 0,
 * and closes everything it opened, even when a step fails.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { filter, firstValueFrom, type Observable, skip, take, tap, throwError, timeout } from "rxjs";
import { RollgateClient, silentLogger, type JsonValue, type Logger, type RollgateOptions, type RollgateUser } from "rollgate";
import { startServer } from "rollgate/server";

const FLAGS_FILE = fileURLToPath(new URL("./flags.json", import.meta.url));
/** If anything hangs, give up after this long rather than leave a process running. */
const HARD_TIMEOUT_MS = 50_000;
const DEMO_USER: RollgateUser = {
  id: "user-123",
  email: "ana@example.com",
  attributes: { plan: "pro", sessions_per_week: 12, country: "DE", app_version: "2.1.0" },
};

// ── Output ───────────────────────────────────────────────────────────────────────────────────

const startedAt = performance.now();
let sectionNumber = 0;

function section(title: string, explanation: string): void {
  sectionNumber += 1;
  const heading = `── ${sectionNumber}. ${title} `;
  console.log(`\n${heading.padEnd(78, "─")}`);
  for (const line of explanation.split("\n")) console.log(`   ${line}`);
  console.log();
}

function line(text: string): void {
  console.log(`   ${text}`);
}

function row(call: string, value: unknown, note = ""): void {
  console.log(`   ${call.padEnd(46)} ${show(value).padEnd(12)} ${note}`.trimEnd());
}

function show(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

function ms(from: number, to = performance.now()): string {
  const elapsed = to - from;
  return elapsed < 10 ? `${elapsed.toFixed(1)} ms` : `${Math.round(elapsed)} ms`;
}

/** Rollgate's own warnings, one short line each, so the outage shows what a service's log would. */
const demoLogger: Logger = {
  debug() {},
  info() {},
  warn: (message) => console.log(`     log warn: ${firstSentence(message)}`),
  error: (message) => console.log(`     log error: ${firstSentence(message)}`),
};

function firstSentence(message: string): string {
  const end = message.indexOf(". ");
  return end === -1 ? message : message.slice(0, end + 1);
}

// ── Waiting, with a deadline ─────────────────────────────────────────────────────────────────

function waitFor<T>(source$: Observable<T>, predicate: (value: T) => boolean, seconds: number, what: string): Promise<T> {
  let last: T | undefined;
  return firstValueFrom(
    source$.pipe(
      tap((value) => (last = value)),
      filter(predicate),
      take(1),
      timeout({
        first: seconds * 1000,
        with: () => throwError(() => new Error(`gave up after ${seconds} s waiting for ${what}; last seen: ${describeLast(last)}`)),
      }),
    ),
  );
}

function describeLast(value: unknown): string {
  if (value === null || typeof value !== "object") return show(value);
  // A status: its plain fields, with the error's code rather than the whole error.
  return Object.entries(value)
    .map(([key, field]) => `${key} ${field instanceof Error ? ((field as Error & { code?: string }).code ?? field.name) : show(field)}`)
    .join(", ");
}

/** The `/health` payload of the framework examples (examples/express/app.ts). */
function health(client: RollgateClient): Record<string, JsonValue> {
  const { circuit, stale, source } = client.getStatus();
  return { status: circuit === "closed" && !stale ? "healthy" : "degraded", circuit, flags_source: source, stale };
}

// ── The tour ─────────────────────────────────────────────────────────────────────────────────

/** Everything to close at the end, newest first. */
const closers: (() => Promise<unknown>)[] = [];

function closeLater(close: () => Promise<unknown>): void {
  closers.unshift(close);
}

async function main(): Promise<void> {
  console.log("rollgate demo: a reactive Rollgate feature-flag client, against the bundled local server.");
  console.log("Every value below is real output of this run.");

  section("Start", "The local Rollgate server runs in this process on a free port, serving examples/flags.json.");
  let server = await startServer({ flagsFile: FLAGS_FILE, port: 0, logger: silentLogger });
  closeLater(() => server.close());
  const port = server.port;
  line(`server   ${server.url}  (${server.getFlags().flags.length} flags, API key ${server.apiKey})`);

  const cacheDir = await mkdtemp(join(tmpdir(), "rollgate-demo-"));
  closeLater(() => rm(cacheDir, { recursive: true, force: true }));
  // Small numbers so the outage below plays out in seconds; the defaults are 30 s polling,
  // 3 retries, and a breaker that opens after 5 failures for 30 s.
  const options: RollgateOptions = {
    apiKey: server.apiKey,
    baseUrl: server.url,
    refreshInterval: 0.5,
    timeout: 1,
    initTimeout: 2,
    retry: { maxRetries: 0 },
    circuitBreaker: { failureThreshold: 2, resetTimeout: 1 },
    cache: { dir: cacheDir },
    logger: demoLogger,
  };
  line(`options  refreshInterval 0.5 s, retry { maxRetries: 0 }, circuitBreaker { failureThreshold: 2, resetTimeout: 1 s }`);
  line(`         cache { dir: ${cacheDir} }`);

  const client = new RollgateClient(options);
  closeLater(() => client.close());
  let t0 = performance.now();
  await client.init();
  line(`await client.init()  resolved in ${ms(t0)}; flags from "${client.getStatus().source}"`);

  section("Reading flags", "Getters are synchronous, never throw, and return your default for unknown flags or wrong types.");
  row(`isEnabled("new-feature", false)`, client.isEnabled("new-feature", false));
  row(`isEnabled("disabled-flag", true)`, client.isEnabled("disabled-flag", true), "switched off on the server");
  row(`isEnabled("no-such-flag", false)`, client.isEnabled("no-such-flag", false), "unknown flag: your default");
  row(`getValue("theme", "light")`, client.getValue("theme", "light"));
  row(`getString("cta-color", "blue")`, client.getString("cta-color", "blue"));
  row(`getNumber("results-per-page", 20)`, client.getNumber("results-per-page", 20));
  row(`getNumber("theme", 0)`, client.getNumber("theme", 0), "wrong type: your default");
  row(`getJson("feature-config", { enabled: false })`, client.getJson("feature-config", { enabled: false }));
  const all = client.getAllFlags();
  const names = Object.keys(all);
  line(`getAllFlags()  ${names.length} flags: ${names.slice(0, 4).map((key) => `${key}=${show(all[key])}`).join(", ")}, ...`);

  section(
    "identify(): targeting",
    `The same flags, evaluated for a user with attributes ${show(DEMO_USER.attributes)}.\n` +
      "Rules in examples/flags.json: pro plan -> dark theme; pro AND power users -> 50 results;\n" +
      "staff e-mail -> bigger config; pro in DE on app >= 2.0.0 -> beta dashboard.",
  );
  const targeted = (): [string, JsonValue][] => [
    [`getValue("theme", "light")`, client.getValue("theme", "light")],
    [`getNumber("results-per-page", 20)`, client.getNumber("results-per-page", 20)],
    [`getJson("feature-config", ...).max_items`, client.getJson("feature-config", { max_items: 10 }).max_items],
    [`isEnabled("beta-dashboard", false)`, client.isEnabled("beta-dashboard", false)],
  ];
  const before = targeted();
  t0 = performance.now();
  await client.identify(DEMO_USER);
  line(`await client.identify({ id: "${DEMO_USER.id}", email: "${DEMO_USER.email}", attributes })  ${ms(t0)}`);
  targeted().forEach(([call, value], index) => row(call, value, `was ${show(before[index]?.[1])}`));
  const theme = client.getValueDetail("theme", "light");
  line(`getValueDetail("theme", "light").reason  ${show(theme.reason)}`);

  section(
    "flag$: live changes",
    "flag$(key) emits the current value at once, then only when that flag changes.\n" +
      "The changes below go through the server's admin API; the client sees them on its next poll (0.5 s).",
  );
  const subscriptions = [
    client.isEnabled$("new-feature", false).subscribe((enabled) => line(`  isEnabled$("new-feature")  -> ${show(enabled)}`)),
    client.flag$("checkout-variant", "control").subscribe((variant) => line(`  flag$("checkout-variant")  -> ${show(variant)}`)),
  ];
  try {
    t0 = performance.now();
    const response = await fetch(`${server.url}/admin/flags/new-feature`, {
      method: "PUT",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ enabled: false, rolloutPercentage: 100 }),
    });
    line(`PUT /admin/flags/new-feature {"enabled":false}  HTTP ${response.status} ${await response.text()}`);
    await waitFor(client.isEnabled$("new-feature", true), (enabled) => !enabled, 5, "new-feature to turn off");
    line(`  ...arrived ${ms(t0)} after the change`);

    const variant = server.getFlag("checkout-variant");
    if (variant === undefined) throw new Error("examples/flags.json has no checkout-variant flag");
    t0 = performance.now();
    server.setFlag({ ...variant, defaultVariation: "variant-b" });
    line(`server.setFlag({ ...checkout-variant, defaultVariation: "variant-b" })`);
    await waitFor(client.flag$<string>("checkout-variant", "control"), (value) => value === "variant-b", 5, "checkout-variant to change");
    line(`  ...arrived ${ms(t0)} after the change`);
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
  }

  section(
    "Streaming",
    "With enableStreaming: true the server pushes each change over Server-Sent Events and the\n" +
      "client refetches at once. Polling is off here (refreshInterval: 0), so only the stream can deliver.",
  );
  const live = new RollgateClient({ ...options, enableStreaming: true, refreshInterval: 0, cache: false, user: DEMO_USER });
  closeLater(() => live.close());
  await live.init();
  const streamStates: string[] = [live.getStatus().stream];
  const statusSubscription = live.status$.subscribe(({ stream }) => {
    if (streamStates.at(-1) !== stream) streamStates.push(stream);
  });
  try {
    await waitFor(live.status$, (status) => status.stream === "open", 5, "the stream to open");
    line(`getStatus().stream  ${streamStates.join(" -> ")}`);
    const delays: string[] = [];
    for (let change = 0; change < 4; change++) {
      const enabled = !live.isEnabled("new-feature", false);
      const arrived = waitFor(live.isEnabled$("new-feature", !enabled).pipe(skip(1)), (value) => value === enabled, 5, "a streamed change");
      t0 = performance.now();
      server.setFlag({ key: "new-feature", enabled, rolloutPercentage: 100 });
      await arrived;
      delays.push(ms(t0));
    }
    line(`4 changes of new-feature (server.setFlag -> flag$ emission): ${delays.join(", ")}`);
  } finally {
    statusSubscription.unsubscribe();
    await live.close();
  }

  section(
    "Outage",
    "The server stops. Two failed polls open the circuit: no more requests leave the process,\n" +
      "and every getter keeps answering from the last snapshot.",
  );
  const circuitLog = client.on("circuit-open", () => line(`  event circuit-open  (${ms(t0)} after the server stopped)`));
  t0 = performance.now();
  await server.close();
  line(`await server.close()`);
  await waitFor(client.circuitState$, (state) => state === "open", 10, "the circuit to open");
  circuitLog();
  row(`getCircuitState()`, client.getCircuitState());
  row(`getValue("theme", "light")`, client.getValue("theme", "light"), "still the pro user's value");
  row(`isEnabled("new-feature", true)`, client.isEnabled("new-feature", true), "as last seen");
  row(`getValue("checkout-variant", "control")`, client.getValue("checkout-variant", "control"), "as last seen");
  line(`GET /health  ${show(health(client))}`);

  section(
    "Restart during the outage: the persistent cache",
    "A new client (think: a process restarted while Rollgate is down) with the same cache dir\n" +
      "and user starts from the flags saved on disk instead of defaults.",
  );
  const restarted = new RollgateClient({ ...options, user: DEMO_USER });
  closeLater(() => restarted.close());
  t0 = performance.now();
  await restarted.init();
  line(`await init()  resolved in ${ms(t0)}, server unreachable`);
  row(`getStatus().source`, restarted.getStatus().source);
  row(`getValue("theme", "light")`, restarted.getValue("theme", "light"), "from the cache, not the default");
  row(`getValue("checkout-variant", "control")`, restarted.getValue("checkout-variant", "control"));

  section(
    "Recovery",
    "The server comes back on the same port. After resetTimeout (1 s) the breaker lets one probe\n" +
      "through; it succeeds, the circuit closes and the flags are fresh again. The restarted server\n" +
      "read examples/flags.json again, so the admin changes above are gone, and flag$ says so.",
  );
  const recoveryLog = [
    client.on("circuit-half-open", () => line(`  event circuit-half-open  (${ms(t0)})`)),
    client.on("circuit-closed", () => line(`  event circuit-closed     (${ms(t0)})`)),
    client.on("flag-changed", (event) => line(`  event flag-changed       ${event.key}: ${show(event.previousValue)} -> ${show(event.value)}`)),
  ];
  t0 = performance.now();
  server = await startServer({ flagsFile: FLAGS_FILE, port, logger: silentLogger });
  line(`startServer({ flagsFile, port: ${port} })`);
  try {
    await waitFor(client.status$, (status) => status.circuit === "closed" && !status.stale, 15, "the client to recover");
    await waitFor(restarted.status$, (status) => status.source === "server" && !status.stale, 15, "the restarted client to reach the server");
  } finally {
    for (const off of recoveryLog) off();
  }
  line(`recovered ${ms(t0)} after the restart`);
  line(`GET /health  ${show(health(client))}`);
  row(`restarted client: getStatus().source`, restarted.getStatus().source);
}

const guard = setTimeout(() => {
  console.error(`\ndemo: still running after ${HARD_TIMEOUT_MS / 1000} s; something hung. Exiting with failure.`);
  process.exit(1);
}, HARD_TIMEOUT_MS);
// The guard must not itself keep the process alive: a clean run exits as soon as all is closed.
guard.unref();

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  // One at a time, newest first: clients flush their cache before its directory is removed.
  for (const close of closers) {
    await close().catch((error: unknown) => console.error(`demo: cleanup failed: ${String(error)}`));
  }
}
if (failed) {
  process.exitCode = 1;
} else {
  console.log(`\nDone in ${((performance.now() - startedAt) / 1000).toFixed(1)} s. Clients, servers and the cache dir are closed; nothing is left running.`);
}
