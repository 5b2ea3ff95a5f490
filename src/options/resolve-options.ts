import { asyncScheduler, type SchedulerLike } from "rxjs";
import type { Dispatcher } from "undici";
import { z } from "zod";
import { RollgateConfigError } from "../errors";
import { containLogger, defaultLogger, type Logger } from "../logger/logger";
import type { RollgateUser } from "../client/rollgate-user";
import { cacheOptionSchema, resolveCacheOptions, type ResolvedCacheOptions } from "../cache/cache-options";
import type { CircuitBreakerOptions } from "../resilience/circuit-breaker-options";
import { circuitBreakerOptionsSchema, resolveCircuitBreakerOptions } from "../resilience/circuit-breaker-options";
import { resolveRetryOptions, retryOptionsSchema, type RetryOptions } from "../resilience/retry-options";
import { resolveUsersOptions, usersOptionsSchema, type ResolvedUsersOptions } from "../scope/users-options";
import { validateUser } from "../client/validate-user";
import { userSchema } from "./user-schema";
import { OPTION_DEFAULTS } from "./option-defaults";
import type { RollgateOptions } from "./rollgate-options";
import type { TestDataSource } from "../transport/test-data-source";

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
  readonly retry: Required<RetryOptions>;
  readonly circuitBreaker: Required<CircuitBreakerOptions>;
  /** `false` when caching is off. */
  readonly cache: ResolvedCacheOptions | false;
  readonly users: ResolvedUsersOptions;
  /** Flags served in-process (tests); undefined: over HTTP. */
  readonly testData: TestDataSource | undefined;
}

const seconds = (what: string) =>
  z.number({ error: `expected ${what} in seconds` }).refine(Number.isFinite, `expected ${what} in seconds`);

const httpUrl = z
  .string({ error: "expected an http(s) URL string" })
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && url.hash === "";
    } catch {
      return false;
    }
  }, "expected an absolute http(s) URL without query or fragment");


const hasMethods =
  (...methods: string[]) =>
  (value: unknown): boolean =>
    typeof value === "object" && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === "function");

const optionsSchema = z.strictObject({
  apiKey: z
    .string({ error: "expected the API key as a string" })
    .min(1, "expected a non-empty API key")
    .refine((key) => key.trim() === key && !/\s/.test(key), "expected a key without whitespace"),
  baseUrl: httpUrl.optional(),
  streamUrl: httpUrl.optional(),
  refreshInterval: seconds("a polling interval").refine((n) => n >= 0, "expected 0 (off) or a positive number of seconds").optional(),
  enableStreaming: z.boolean({ error: "expected true or false" }).optional(),
  timeout: seconds("a timeout").refine((n) => n > 0, "expected a positive number of seconds").optional(),
  initTimeout: seconds("a timeout").refine((n) => n > 0, "expected a positive number of seconds").optional(),
  streamReadTimeout: seconds("a timeout").refine((n) => n > 0, "expected a positive number of seconds").optional(),
  user: userSchema.optional(),
  maxPayloadBytes: z.number({ error: "expected a number of bytes" }).int("expected a whole number of bytes").positive("expected a positive number of bytes").optional(),
  logger: z.custom<Partial<Logger>>((v) => typeof v === "object" && v !== null, "expected a logger object").optional(),
  scheduler: z.custom<SchedulerLike>(hasMethods("now", "schedule"), "expected an RxJS SchedulerLike").optional(),
  dispatcher: z.custom<Dispatcher>(hasMethods("dispatch"), "expected an undici Dispatcher").optional(),
  retry: retryOptionsSchema.optional(),
  circuitBreaker: circuitBreakerOptionsSchema.optional(),
  cache: cacheOptionSchema,
  users: usersOptionsSchema.optional(),
  testData: z.custom<TestDataSource>(hasMethods("connect"), "expected a TestData from rollgate/testing").optional(),
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
  if (typeof value === "string") return `; got ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return `; got ${String(value)}`;
  return `; got ${Array.isArray(value) ? "an array" : `a ${typeof value}`}`;
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
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join(".") || "options";
    throw new RollgateConfigError(path, `Invalid option ${path}: ${issue.message}${describeGiven(issue.path, input)}.`);
  }
  const options = parsed.data as RollgateOptions;
  const baseUrl = stripTrailingSlashes(options.baseUrl ?? OPTION_DEFAULTS.baseUrl);
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
    logger: options.logger === undefined ? defaultLogger : containLogger(options.logger),
    scheduler: options.scheduler ?? asyncScheduler,
    dispatcher: options.dispatcher,
    retry: resolveRetryOptions(options.retry),
    circuitBreaker: resolveCircuitBreakerOptions(options.circuitBreaker),
    cache: options.cache === false || (testing && options.cache === undefined) ? false : resolveCacheOptions(options.cache ?? {}),
    users: resolveUsersOptions(options.users),
    testData: options.testData,
  });
}
