import type { SchedulerLike } from "rxjs";
import { monotonicScheduler } from "../options/monotonic-scheduler";
import type { Dispatcher } from "undici";
import * as z from "zod/mini";
import { RollgateConfigError } from "../errors";
import type { Logger } from "../logger/logger";
import type { LoggerLike } from "../logger/adapt-logger";
import { logFormatSchema, resolveLogger } from "../logger/log-format";
import type { RollgateUser } from "../model/rollgate-user";
import { cacheOptionSchema, resolveCacheOptions, type ResolvedCacheOptions } from "../cache/cache-options";
import type { CircuitBreakerOptions } from "../resilience/circuit-breaker-options";
import { circuitBreakerOptionsSchema, resolveCircuitBreakerOptions } from "../resilience/circuit-breaker-options";
import { resolveRetryOptions, retryOptionsSchema, type RetryOptions } from "../resilience/retry-options";
import { resolveUsersOptions, usersOptionsSchema, type ResolvedUsersOptions } from "../scope/users-options";
import { validateUser } from "../scope/validate-user";
import { eventsOptionSchema, resolveEventsOptions, type ResolvedEventsOptions } from "../events/event-options";
import { resolveTelemetryOptions, telemetryOptionSchema, type ResolvedTelemetryOptions } from "../telemetry/telemetry-options";
import { DURATION_BOUNDS, durationSchema } from "../options/duration-schema";
import { IN_ENGLISH } from "../options/in-english";
import { REDACTED, redactSecrets } from "../errors/redact-secrets";
import { userSchema } from "../options/user-schema";
import { OPTION_DEFAULTS } from "../options/option-defaults";
import type { RollgateOptions } from "./rollgate-options";
import type { TestDataSource } from "../transport/test-data-source";
import type { EvaluationHook } from "../model/evaluation-hook";

/** Options after validation, with every default applied. */
export interface ResolvedOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly streamUrl: string;
  readonly refreshInterval: number;
  readonly enableStreaming: boolean;
  readonly timeout: number;
  readonly initTimeout: number;
  readonly streamReadTimeout: number;
  readonly user: RollgateUser | undefined;
  readonly maxPayloadBytes: number;
  readonly logger: Logger;
  readonly scheduler: SchedulerLike;
  readonly dispatcher: Dispatcher | undefined;
  readonly connections: number;
  readonly retry: Required<RetryOptions>;
  readonly circuitBreaker: Required<CircuitBreakerOptions>;
  /** `false` when caching is off. */
  readonly cache: ResolvedCacheOptions | false;
  readonly users: ResolvedUsersOptions;
  /** `false` when events are off. */
  readonly events: ResolvedEventsOptions | false;
  /** `false` when telemetry is off. */
  readonly telemetry: ResolvedTelemetryOptions | false;
  /** Flags served in-process (tests); undefined: over HTTP. */
  readonly testData: TestDataSource | undefined;
  readonly hooks: readonly EvaluationHook[];
}

const httpUrl = z.string({ error: "expected an http(s) URL string" }).check(
  z.refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && url.hash === "";
    } catch {
      return false;
    }
  }, "expected an absolute http(s) URL without query or fragment"),
  // Credentials in the URL would be printed in every error that quotes it (issue 13 item 10).
  z.refine((text) => !hasCredentials(text), "expected a URL without credentials (user:password@); the API key is sent on its own"),
);

function hasCredentials(text: string): boolean {
  try {
    const url = new URL(text);
    return url.username !== "" || url.password !== "";
  } catch {
    return false;
  }
}

/** The part of a URL that holds credentials (`user:password@`), for keeping it out of messages. */
const URL_CREDENTIALS = /^([a-z][a-z\d+.-]*:\/\/)[^/?#]*@/i;

// Printable ASCII and Latin-1 letters and symbols: what an HTTP header can carry. Whitespace,
// C0/C1 controls and anything beyond Latin-1 (a pasted newline, a zero-width space, a
// homoglyph) would make every request fail, retried as a network error, forever.
const KEY_CHARACTERS = /^[\x21-\x7e\xa1-\xff]+$/;


/** An evaluation hook: an object whose stages, when present, are functions (and at least one is). */
function isHook(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { beforeEvaluation, afterEvaluation } = value as { beforeEvaluation?: unknown; afterEvaluation?: unknown };
  const stage = (f: unknown) => f === undefined || typeof f === "function";
  return stage(beforeEvaluation) && stage(afterEvaluation) && (beforeEvaluation !== undefined || afterEvaluation !== undefined);
}

const hasMethods =
  (...methods: string[]) =>
  (value: unknown): boolean =>
    typeof value === "object" && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === "function");

const optionsSchema = z.strictObject({
  apiKey: z.string({ error: "expected the API key as a string" }).check(
    z.minLength(1, "expected a non-empty API key"),
    z.refine(
      (key) => KEY_CHARACTERS.test(key),
      "expected a key of printable characters only: no whitespace, control characters or characters beyond Latin-1 (check for a pasted newline or an invisible character)",
    ),
  ),
  baseUrl: z.optional(httpUrl),
  streamUrl: z.optional(httpUrl),
  refreshInterval: z.optional(durationSchema("a polling interval", DURATION_BOUNDS.refreshInterval)),
  enableStreaming: z.optional(z.boolean({ error: "expected true or false" })),
  timeout: z.optional(durationSchema("a timeout", DURATION_BOUNDS.timeout)),
  initTimeout: z.optional(durationSchema("a timeout", DURATION_BOUNDS.initTimeout)),
  streamReadTimeout: z.optional(durationSchema("a timeout", DURATION_BOUNDS.streamReadTimeout)),
  user: z.optional(userSchema),
  maxPayloadBytes: z.optional(
    z.number({ error: "expected a number of bytes" }).check(z.int("expected a whole number of bytes"), z.positive("expected a positive number of bytes")),
  ),
  logger: z.optional(z.custom<LoggerLike>((v) => typeof v === "object" && v !== null, "expected a logger object")),
  logFormat: z.optional(logFormatSchema),
  scheduler: z.optional(z.custom<SchedulerLike>(hasMethods("now", "schedule"), "expected an RxJS SchedulerLike")),
  dispatcher: z.optional(z.custom<Dispatcher>(hasMethods("dispatch"), "expected an undici Dispatcher")),
  connections: z.optional(
    z.number({ error: "expected a number of connections" }).check(
      z.int("expected a whole number of connections"),
      z.minimum(1, "expected at least 1 connection"),
      z.maximum(1024, "expected at most 1024 connections"),
    ),
  ),
  retry: z.optional(retryOptionsSchema),
  circuitBreaker: z.optional(circuitBreakerOptionsSchema),
  cache: cacheOptionSchema,
  users: z.optional(usersOptionsSchema),
  events: eventsOptionSchema,
  telemetry: telemetryOptionSchema,
  testData: z.optional(z.custom<TestDataSource>(hasMethods("connect"), "expected a TestData from rollgate/testing")),
  hooks: z.optional(z.array(z.custom<EvaluationHook>(isHook, "expected a hook: an object with beforeEvaluation and/or afterEvaluation functions"), { error: "expected an array of hooks" })),
});

/** Describes a given value for an error message, without echoing anything secret. */
function describeGiven(path: readonly PropertyKey[], input: unknown): string {
  if (path[0] === "apiKey") return "";
  let value: unknown = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return "";
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  if (value === undefined) return "; got nothing";
  if (typeof value === "string") {
    // A key pasted into the wrong option is still the key; a URL may carry credentials.
    const apiKey = (input as { apiKey?: unknown }).apiKey;
    const withoutKey = typeof apiKey === "string" && apiKey !== "" ? value.split(apiKey).join(REDACTED) : value;
    const shown = redactSecrets(withoutKey).replace(URL_CREDENTIALS, "$1[credentials]@");
    return `; got ${JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown)}`;
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null) return `; got ${String(value)}`;
  if (Array.isArray(value)) return "; got an array";
  return `; got ${typeof value === "object" ? "an object" : `a ${typeof value}`}`;
}

/**
 * A union (`cache: false | {…}`) reports one issue for the whole option; its branches know
 * which field was wrong. The deepest branch issue names the option precisely (`cache.ttl`).
 */
function innermostIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union") return issue;
  let deepest: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    for (const inner of branch) if (inner.path.length > (deepest?.path.length ?? 0)) deepest = inner;
  }
  return deepest === undefined ? issue : innermostIssue({ ...deepest, path: [...issue.path, ...deepest.path] });
}

function stripTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * Validates the constructor's options once and applies defaults. Never mutates its input.
 *
 * @throws RollgateConfigError naming the option, what was expected and what was given (never the key).
 */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (typeof input !== "object" || input === null) {
    throw new RollgateConfigError("options", "RollgateClient needs an options object with at least { apiKey }.");
  }
  const parsed = optionsSchema.safeParse(input, IN_ENGLISH);
  if (!parsed.success) {
    const issue = innermostIssue(parsed.error.issues[0]!);
    const path = issue.path.map(String).join(".") || "options";
    throw new RollgateConfigError(path, `Invalid option ${path}: ${issue.message}${describeGiven(issue.path, input)}.`);
  }
  const options = parsed.data as RollgateOptions;
  const baseUrl = stripTrailingSlashes(options.baseUrl ?? OPTION_DEFAULTS.baseUrl);
  const scheduler = options.scheduler ?? monotonicScheduler;
  // Test data changes reach the client as a stream's signals do: polling, streaming and a cache
  // file (unless asked for) would only add timers, sockets and files to a unit test.
  const testing = options.testData !== undefined;
  return Object.freeze({
    apiKey: options.apiKey,
    baseUrl,
    streamUrl: options.streamUrl === undefined ? baseUrl : stripTrailingSlashes(options.streamUrl),
    refreshInterval: testing ? 0 : (options.refreshInterval ?? OPTION_DEFAULTS.refreshInterval),
    enableStreaming: testing ? false : (options.enableStreaming ?? OPTION_DEFAULTS.enableStreaming),
    timeout: options.timeout ?? OPTION_DEFAULTS.timeout,
    initTimeout: options.initTimeout ?? OPTION_DEFAULTS.initTimeout,
    streamReadTimeout: options.streamReadTimeout ?? OPTION_DEFAULTS.streamReadTimeout,
    user: options.user === undefined ? undefined : validateUser(options.user),
    maxPayloadBytes: options.maxPayloadBytes ?? OPTION_DEFAULTS.maxPayloadBytes,
    logger: resolveLogger(options.logger, options.logFormat, () => scheduler.now()),
    scheduler,
    dispatcher: options.dispatcher,
    connections: options.connections ?? OPTION_DEFAULTS.connections,
    retry: resolveRetryOptions(options.retry),
    circuitBreaker: resolveCircuitBreakerOptions(options.circuitBreaker),
    cache: options.cache === false || (testing && options.cache === undefined) ? false : resolveCacheOptions(options.cache ?? {}),
    users: resolveUsersOptions(options.users),
    events: resolveEventsOptions(options.events),
    telemetry: resolveTelemetryOptions(options.telemetry),
    testData: options.testData,
    hooks: Object.freeze([...(options.hooks ?? [])]),
  });
}
