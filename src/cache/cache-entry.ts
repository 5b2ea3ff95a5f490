import * as z from "zod/mini";
import type { EvaluationReason } from "../model/evaluation-reason";
import { IN_ENGLISH } from "../options/in-english";
import { isJsonValue, jsonValueSchema } from "../options/json-value-schema";
import type { FlagState } from "../model/flag-state";
import { FlagTable } from "../model/flag-table";
import type { JsonValue } from "../model/flag-model";
import { frozenFlagState } from "../snapshot/frozen-flag-state";
import { priorIfEqual } from "../snapshot/prior-if-equal";

/** The on-disk format version this client writes and reads. Bump it on any incompatible change. */
export const CACHE_FORMAT_VERSION = 1;

/** Cached flags as the client uses them: the snapshot's flags plus when and what was saved. */
export interface CachedFlags {
  /** The flags of the snapshot that was saved, keyed by flag key. */
  readonly flags: FlagTable;
  /** When the snapshot was saved, in epoch milliseconds (from the client's scheduler). */
  readonly savedAt: number;
  /** The `ETag` of the response the flags came from, when the server sent one. */
  readonly etag?: string;
  /**
   * A shared store's change generation when the flags were asked for (see
   * `CacheStore.advanceGeneration`): the entry predates every change announced after it.
   */
  readonly generation?: number;
}

/** The outcome of {@link parseCacheEntry}: the entry, or a sentence saying why it was rejected. */
export type CacheEntryParseResult = { readonly ok: true; readonly entry: CachedFlags } | { readonly ok: false; readonly reason: string };

// The file deliberately holds neither the base URL, the API key nor the user id: those are
// only hashed into its name (see cacheKey), so a leaked cache file reveals flags only.
const entryHeaderSchema = z.object({
  version: z.number(),
  // z.number() rejects NaN and ±Infinity by itself (classic zod's .finite() was a no-op).
  savedAt: z.number().check(z.nonnegative()),
  etag: z.optional(z.string()),
  generation: z.optional(z.number().check(z.int(), z.nonnegative())),
  // Validated flag by flag below: z.record would silently drop a flag named "__proto__".
  flags: z.custom<Record<string, unknown>>((value) => typeof value === "object" && value !== null && !Array.isArray(value), {
    message: "expected an object of flags",
  }),
});

const reasonSchema = z.object({
  kind: z.enum(["OFF", "TARGET_MATCH", "RULE_MATCH", "FALLTHROUGH", "ERROR", "UNKNOWN"]),
  ruleId: z.optional(z.string()),
  ruleIndex: z.optional(z.number().check(z.int(), z.nonnegative())),
  inRollout: z.optional(z.boolean()),
  errorKind: z.optional(z.enum(["FLAG_NOT_FOUND", "MALFORMED_FLAG", "USER_NOT_SPECIFIED", "CLIENT_NOT_READY", "WRONG_TYPE", "EXCEPTION"])),
});

const flagStateSchema = z.object({
  type: z.enum(["boolean", "string", "number", "json"]),
  enabled: z.boolean(),
  // The wire's own schema: at most 64 levels deep. z.json() recursed without a bound, so a value
  // nested 5,000 deep in a tampered store threw a RangeError out of init() (issue 13 item 5).
  value: jsonValueSchema,
  reason: reasonSchema,
});

/**
 * Serializes a snapshot's flags into the versioned cache format:
 * `{"version":1,"savedAt":<epoch ms>,"etag"?:string,"generation"?:number,"flags":{"<key>":{type,enabled,value,reason}}}`.
 *
 * @example
 * const text = serializeCacheEntry({ flags: snapshot.flags, savedAt: scheduler.now(), etag });
 */
export function serializeCacheEntry(entry: Omit<CachedFlags, "flags"> & { readonly flags: ReadonlyMap<string, FlagState> }): string {
  return JSON.stringify({
    version: CACHE_FORMAT_VERSION,
    savedAt: entry.savedAt,
    ...(entry.etag === undefined ? {} : { etag: entry.etag }),
    ...(entry.generation === undefined ? {} : { generation: entry.generation }),
    // fromEntries defines own properties, so even a flag named "__proto__" is kept.
    flags: Object.fromEntries(entry.flags),
  });
}

/**
 * Parses and validates a cache entry. Never throws: corrupt or truncated JSON, another format
 * version and schema violations give `{ ok: false, reason }`, where `reason` is a short phrase
 * naming the problem (for schema violations, with its path), e.g. `flags.theme.enabled: …`.
 *
 * @example
 * const parsed = parseCacheEntry(text);
 * if (!parsed.ok) logger.warn(`Ignoring the flag cache: ${parsed.reason}.`);
 */
export function parseCacheEntry(text: string): CacheEntryParseResult {
  // A custom store is foreign code: it may hand back anything.
  if (typeof text !== "string") return { ok: false, reason: `the store returned ${text === null ? "null" : `a ${typeof text}`}, not text` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, reason: "not a JSON object" };
  }
  // Check the version before the shape, so a newer format gets a message about versions.
  const version: unknown = (json as { version?: unknown }).version;
  if (version !== CACHE_FORMAT_VERSION) {
    return { ok: false, reason: `format version ${JSON.stringify(version) ?? "(missing)"}, but this client reads version ${CACHE_FORMAT_VERSION}` };
  }
  const fast = parseEntryFast(json as Record<string, unknown>);
  if (fast !== undefined) return { ok: true, entry: fast };
  // Rejected (or unusual): the schemas decide, and name the issue.
  const header = entryHeaderSchema.safeParse(json, IN_ENGLISH);
  if (!header.success) return { ok: false, reason: describeIssue(header.error, []) };

  const validKeys: string[] = [];
  const validStates: FlagState[] = [];
  for (const [key, raw] of Object.entries(header.data.flags)) {
    const flag = flagStateSchema.safeParse(raw, IN_ENGLISH);
    if (!flag.success) return { ok: false, reason: describeIssue(flag.error, ["flags", key]) };
    const { type, enabled, value, reason } = flag.data;
    // The getters read an enabled typed flag's value by its type alone (see FlagState).
    if (enabled && !valueHasType(type, value)) return { ok: false, reason: `flags.${key}.value: not a ${type} value` };
    // Frozen like the wire's: a caller's mutation must not leak into what everyone is served.
    validKeys.push(key);
    validStates.push(frozenFlagState(type, enabled, value, toEvaluationReason(reason)));
  }
  const { savedAt, etag, generation } = header.data;
  return { ok: true, entry: entryOf(tableOf(validKeys, validStates), savedAt, etag, generation) };
}

const REASON_KINDS: ReadonlySet<unknown> = new Set(reasonSchema.shape.kind.options);
const ERROR_KINDS: ReadonlySet<unknown> = new Set(reasonSchema.shape.errorKind.def.innerType.options);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The schemas' acceptance, written out: a store read (a fleet's Redis, on a new user's request
 * path) must cost about a `JSON.parse`, and zod's per-flag parse cost twice that. `undefined` for
 * anything the schemas might reject, which then run to name the issue.
 */
function parseEntryFast(json: Record<string, unknown>): CachedFlags | undefined {
  const { savedAt, etag, generation, flags: raw } = json;
  if (typeof savedAt !== "number" || !Number.isFinite(savedAt) || savedAt < 0) return undefined;
  if (etag !== undefined && typeof etag !== "string") return undefined;
  if (generation !== undefined && !(Number.isSafeInteger(generation) && (generation as number) >= 0)) return undefined;
  if (!isRecord(raw)) return undefined;
  const keys: string[] = [];
  const states: FlagState[] = [];
  // Most flags share a handful of reasons: consecutive equal ones share one frozen object.
  let lastRaw: Record<string, unknown> | undefined;
  let lastReason: EvaluationReason | undefined;
  // The entry read last lends its states to the flags that equal them (see priorIfEqual).
  const prior = lastTable;
  const priorKeys = prior?.order.list;
  for (const key in raw) {
    // Written out in full, not Object.hasOwn: V8 reads a for-in's own keys from the object's enum
    // cache only for this form (7 µs of a 100-flag entry with Object.hasOwn, about 0.5 with this).
    if (!Object.prototype.hasOwnProperty.call(raw, key)) continue;
    const flag = raw[key];
    if (!isRecord(flag)) return undefined;
    const { type, enabled, value, reason } = flag;
    if ((type !== "boolean" && type !== "string" && type !== "number" && type !== "json") || typeof enabled !== "boolean" || !isRecord(reason) || !isJsonValue(value)) return undefined;
    if (enabled && !valueHasType(type as FlagState["type"], value)) return undefined;
    // A reason equal in every field to the last one was checked with it.
    if (lastReason === undefined || !sameReason(lastRaw!, reason)) {
      if (!isValidReason(reason)) return undefined;
      lastReason = simpleReason(reason) ?? Object.freeze(toEvaluationReason(reason as z.infer<typeof reasonSchema>));
      lastRaw = reason;
    }
    const position = keys.push(key) - 1;
    if (type === "boolean" && value === enabled) {
      states.push(booleanState(enabled, lastReason));
      continue;
    }
    const previous = priorKeys?.[position] === key ? prior!.states[position] : prior?.get(key);
    states.push(priorIfEqual(previous, type as FlagState["type"], enabled, value as JsonValue, lastReason) ?? frozenFlagState(type as FlagState["type"], enabled, value as JsonValue, lastReason));
  }
  return entryOf(tableOf(keys, states), savedAt, etag as string | undefined, generation as number | undefined);
}

// The flags of the entry last read: the next entry (another user of a fleet, the same user
// again) shares their key index when its keys are the same, and their states where equal.
let lastTable: FlagTable | undefined;

function tableOf(keys: readonly string[], states: readonly FlagState[]): FlagTable {
  const table = FlagTable.from(keys, states, lastTable?.order);
  lastTable = table;
  return table;
}

/** Copies only the fields present: with exactOptionalPropertyTypes, `undefined` is not "absent". */
function entryOf(flags: FlagTable, savedAt: number, etag: string | undefined, generation: number | undefined): CachedFlags {
  if (generation === undefined) return etag === undefined ? { flags, savedAt } : { flags, savedAt, etag };
  return etag === undefined ? { flags, savedAt, generation } : { flags, savedAt, etag, generation };
}

// Shared by every entry read (a fleet reads one per new user): the common reasons, a kind and
// maybe inRollout, and the boolean states per reason, as the wire's decoding shares them. A user's
// flags then hold little more than their arrays, and a read allocates less for the GC to move.
const SIMPLE_REASONS = new Map<unknown, [absent: EvaluationReason, outOfRollout: EvaluationReason, inRollout: EvaluationReason]>();
const BOOLEAN_STATES = new WeakMap<EvaluationReason, { on?: FlagState; off?: FlagState }>();

/** The shared frozen reason for a reason with nothing but a (valid) kind and maybe inRollout; else undefined. */
function simpleReason(reason: Record<string, unknown>): EvaluationReason | undefined {
  const { kind, inRollout } = reason;
  if (reason.ruleId !== undefined || reason.ruleIndex !== undefined || reason.errorKind !== undefined) return undefined;
  let variants = SIMPLE_REASONS.get(kind);
  if (variants === undefined) {
    const k = kind as EvaluationReason["kind"];
    variants = [Object.freeze({ kind: k }), Object.freeze({ kind: k, inRollout: false }), Object.freeze({ kind: k, inRollout: true })];
    SIMPLE_REASONS.set(kind, variants);
  }
  return variants[inRollout === undefined ? 0 : inRollout === true ? 2 : 1];
}

/** The shared frozen state of a boolean flag served `enabled` for `reason`. */
function booleanState(enabled: boolean, reason: EvaluationReason): FlagState {
  let pair = BOOLEAN_STATES.get(reason);
  if (pair === undefined) BOOLEAN_STATES.set(reason, (pair = {}));
  return enabled ? (pair.on ??= frozenFlagState("boolean", true, true, reason)) : (pair.off ??= frozenFlagState("boolean", false, false, reason));
}

/** The reason schema's acceptance, written out (see parseEntryFast). */
function isValidReason(reason: Record<string, unknown>): boolean {
  const { kind, ruleId, ruleIndex, inRollout, errorKind } = reason;
  if (!REASON_KINDS.has(kind)) return false;
  if (ruleId !== undefined && typeof ruleId !== "string") return false;
  if (ruleIndex !== undefined && !(Number.isSafeInteger(ruleIndex) && (ruleIndex as number) >= 0)) return false;
  if (inRollout !== undefined && typeof inRollout !== "boolean") return false;
  return errorKind === undefined || ERROR_KINDS.has(errorKind);
}

function sameReason(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return a.kind === b.kind && a.ruleId === b.ruleId && a.ruleIndex === b.ruleIndex && a.inRollout === b.inRollout && a.errorKind === b.errorKind;
}

function valueHasType(type: FlagState["type"], value: unknown): boolean {
  if (type === "json") return typeof value === "object" && value !== null;
  return type === "boolean" || typeof value === type;
}

/** Copies only the fields present: with exactOptionalPropertyTypes, `undefined` is not "absent". */
function toEvaluationReason(parsed: z.infer<typeof reasonSchema>): EvaluationReason {
  const { kind, ruleId, ruleIndex, inRollout, errorKind } = parsed;
  return {
    kind,
    ...(ruleId === undefined ? {} : { ruleId }),
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    ...(inRollout === undefined ? {} : { inRollout }),
    ...(errorKind === undefined ? {} : { errorKind }),
  };
}

function describeIssue(error: z.core.$ZodError, prefix: readonly PropertyKey[]): string {
  const [first] = error.issues;
  if (first === undefined) return "does not match the cache format";
  const path = [...prefix, ...first.path].map(String).join(".");
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more issues)` : "";
  return `${path === "" ? "" : `${path}: `}${first.message}${more}`;
}
