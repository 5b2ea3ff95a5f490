import type { FlagDefinition, Rule, SegmentDefinition } from "../model/flag-model";
import type { FlagsFile } from "./flags-file";

/**
 * What a flags file holds that the server reads past: `$schema` and the `description` of flags,
 * rules and segments. Kept so that writing the flags back (`--write`) does not erase them.
 */
export interface FlagsFileNotes {
  readonly schema?: string;
  /** Flag key → description. */
  readonly flags: ReadonlyMap<string, string>;
  /** `flagKey\u0000ruleId` → description. */
  readonly rules: ReadonlyMap<string, string>;
  /** Segment id → description. */
  readonly segments: ReadonlyMap<string, string>;
}

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function ruleKey(flagKey: string, ruleId: string): string {
  return `${flagKey}\u0000${ruleId}`;
}

/**
 * The notes of a flags file's text; none for text that is not a JSON object (the file is then
 * about to be replaced whole anyway).
 *
 * @example
 * readFlagsFileNotes('{"flags":[{"key":"a","description":"Why a exists","enabled":true}]}').flags.get("a"); // "Why a exists"
 */
export function readFlagsFileNotes(text: string): FlagsFileNotes {
  const notes = { flags: new Map<string, string>(), rules: new Map<string, string>(), segments: new Map<string, string>() };
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return notes;
  }
  if (!isObject(file)) return notes;
  for (const flag of Array.isArray(file["flags"]) ? file["flags"] : []) {
    if (!isObject(flag) || typeof flag["key"] !== "string") continue;
    const key = flag["key"];
    if (typeof flag["description"] === "string") notes.flags.set(key, flag["description"]);
    for (const rule of Array.isArray(flag["rules"]) ? flag["rules"] : []) {
      if (isObject(rule) && typeof rule["id"] === "string" && typeof rule["description"] === "string") notes.rules.set(ruleKey(key, rule["id"]), rule["description"]);
    }
  }
  const segments = file["segments"];
  if (isObject(segments)) {
    for (const [id, segment] of Object.entries(segments)) {
      if (isObject(segment) && typeof segment["description"] === "string") notes.segments.set(id, segment["description"]);
    }
  }
  return typeof file["$schema"] === "string" ? { ...notes, schema: file["$schema"] } : notes;
}

function withDescription<T extends object>(value: T, leading: number, description: string | undefined): T {
  if (description === undefined) return value;
  // After the key (or id), where people write it.
  const entries = Object.entries(value);
  return Object.fromEntries([...entries.slice(0, leading), ["description", description], ...entries.slice(leading)]) as T;
}

/**
 * `file` with the notes put back: `$schema` first, each description after its flag's `key`,
 * its rule's `id`, or first in its segment; no `segments` when there are none. Notes of flags,
 * rules or segments that no longer exist are dropped.
 */
export function addFlagsFileNotes(file: FlagsFile, notes: FlagsFileNotes): object {
  const flags = file.flags.map((flag: FlagDefinition) => {
    const rules = flag.rules?.map((rule: Rule) => withDescription(rule, 1, notes.rules.get(ruleKey(flag.key, rule.id))));
    return withDescription(rules ? { ...flag, rules } : flag, 1, notes.flags.get(flag.key));
  });
  // fromEntries defines own properties: an id such as "__proto__" stays an ordinary key.
  const segments = Object.fromEntries(
    Object.entries(file.segments ?? {}).map(([id, segment]: [string, SegmentDefinition]) => [id, withDescription(segment, 0, notes.segments.get(id))]),
  );
  return { ...(notes.schema === undefined ? {} : { $schema: notes.schema }), flags, ...(Object.keys(segments).length > 0 ? { segments } : {}) };
}
