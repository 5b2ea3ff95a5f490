import * as z from "zod/mini";
import { DURATION_BOUNDS, durationSchema } from "../options/duration-schema";
import type { CacheStore } from "./cache-store";
import { FileCacheStore } from "./file-cache-store";

/**
 * The `cache` option of the client: where and how long the last flags are kept, so that a
 * restart while Rollgate is unreachable still serves them (PROTOCOL.md §4.4).
 *
 * @example
 * new RollgateClient({ apiKey, cache: { ttl: 60, maxAge: 3600 } });
 * new RollgateClient({ apiKey, cache: { store: redisStore } });
 */
export interface CacheOptions {
  /**
   * Directory of the default file store. Cannot be combined with `store`.
   * @default `$XDG_CACHE_HOME/rollgate`, else `~/.cache/rollgate`, else `<tmpdir>/rollgate-<uid>`
   */
  readonly dir?: string;
  /**
   * Seconds a cached snapshot counts as fresh. Older ones are still served on start, marked
   * stale, until the server answers.
   * @default 300
   */
  readonly ttl?: number;
  /**
   * Seconds after which a cached snapshot is discarded instead of served.
   * @default 86400
   */
  readonly maxAge?: number;
  /**
   * Where entries are kept, e.g. Redis (see {@link CacheStore}).
   * @default a FileCacheStore in `dir`
   */
  readonly store?: CacheStore;
}

/** The defaults of {@link CacheOptions}, in seconds. */
export const CACHE_DEFAULTS = Object.freeze({
  ttl: 300,
  maxAge: 86_400,
});

/** {@link CacheOptions} with defaults applied and the store created. */
export interface ResolvedCacheOptions {
  readonly store: CacheStore;
  /** Seconds. */
  readonly ttl: number;
  /** Seconds. */
  readonly maxAge: number;
}


const storeSchema = z.custom<CacheStore>(
  // z.custom keeps the caller's object itself (z.object would copy it and lose class methods).
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<CacheStore>).load === "function" &&
    typeof (value as Partial<CacheStore>).save === "function",
  { message: "must be an object with load(key) and save(key, data) methods" },
);

/**
 * Validates a {@link CacheOptions} object; for embedding in the client's option schema.
 * Unknown keys are rejected, so a typo does not silently fall back to a default.
 *
 * @example
 * const clientOptionsSchema = z.object({ cache: cacheOptionSchema, ... });
 */
export const cacheOptionsSchema = z
  .strictObject({
    dir: z.optional(z.string().check(z.minLength(1, "must be a non-empty path"))),
    ttl: z.optional(durationSchema("a lifetime", DURATION_BOUNDS.cacheTtl)),
    maxAge: z.optional(durationSchema("an age", DURATION_BOUNDS.cacheMaxAge)),
    store: z.optional(storeSchema),
  })
  .check(
    z.refine((options) => options.dir === undefined || options.store === undefined, {
      message: "give either dir (for the default file store) or store, not both",
      path: ["dir"],
    }),
  );

/**
 * Validates the client's `cache?: false | CacheOptions` option.
 *
 * @example
 * cacheOptionSchema.safeParse({ ttl: 60 }, IN_ENGLISH).success; // true
 */
export const cacheOptionSchema = z.optional(z.union([z.literal(false), cacheOptionsSchema]));

/**
 * Applies the defaults of validated options and creates the default file store when no
 * `store` is given. Does no I/O (the file store resolves its directory on first use).
 *
 * @example
 * const { store, ttl, maxAge } = resolveCacheOptions(options.cache ?? {});
 */
export function resolveCacheOptions(options: CacheOptions): ResolvedCacheOptions {
  return {
    store: options.store ?? new FileCacheStore(options.dir === undefined ? {} : { dir: options.dir }),
    ttl: options.ttl ?? CACHE_DEFAULTS.ttl,
    maxAge: options.maxAge ?? CACHE_DEFAULTS.maxAge,
  };
}
