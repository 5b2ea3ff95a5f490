import * as z from "zod/mini";
import type { PayloadIssue } from "../errors";
import type { Condition, FlagDefinition, JsonValue, Rule, SegmentDefinition } from "../model/flag-model";
import { FlagsFileError } from "./flags-file-error";
import { excerpt, formatPath, toIssues } from "./flags-file-issues";
import { IN_ENGLISH } from "../options/in-english";
import { describeJsonSyntaxError } from "./json-syntax-error";

/**
 * The flags file the local server reads: every flag definition (PROTOCOL.md §3.1) and the
 * segments their rules may reference (§3.6).
 *
 * @example
 * { "flags": [{ "key": "new-feature", "enabled": true, "rolloutPercentage": 100 }],
 *   "segments": { "pro-users": { "conditions": [{ "attribute": "plan", "operator": "eq", "value": "pro" }] } } }
 */
export interface FlagsFile {
  readonly flags: readonly FlagDefinition[];
  /** Segment id → definition. */
  readonly segments?: Readonly<Record<string, SegmentDefinition>>;
}

/** The operators the reference server implements (§3.4); any other one would never match. */
export const FLAG_OPERATORS = [
  "eq",
  "neq",
  "contains",
  "not_contains",
  "starts_with",
  "ends_with",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "not_in",
  "regex",
  "semver_eq",
  "semver_gt",
  "semver_gte",
  "semver_lt",
  "semver_lte",
] as const;

const OPERATOR_LIST = FLAG_OPERATORS.join(", ");

const percentage = z.number({ error: "expected a number from 0 to 100" }).check(
  z.minimum(0, { error: "expected a number from 0 to 100" }),
  z.maximum(100, { error: "expected a number from 0 to 100" }),
  // The reference server stores percentages as Go ints: 12.5 would not even load there.
  z.int({ error: "expected a whole number from 0 to 100" }),
);

const nonEmptyString = (what: string) =>
  z.string({ error: `expected ${what} (a non-empty string)` }).check(z.minLength(1, { error: `expected ${what} (a non-empty string)` }));

const conditionSchema = z
  .strictObject({
    attribute: nonEmptyString("an attribute name"),
    operator: z.enum(FLAG_OPERATORS, { error: `expected one of ${OPERATOR_LIST}` }),
    // Any JSON value; anything else is an invalid_union, which toIssues words "expected a JSON value".
    value: z.json(),
  })
  .check(
    z.superRefine((condition, ctx) => {
      if (condition.operator !== "in" && condition.operator !== "not_in") return;
      if (Array.isArray(condition.value)) return;
      if (condition.attribute === "segment" && condition.operator === "in" && typeof condition.value === "string") return;
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message:
          condition.attribute === "segment"
            ? "expected a segment id or an array of segment ids"
            : `expected an array (the reference server never matches "${condition.operator}" against a string, PROTOCOL.md §3.4)`,
      });
    }),
  );

const ruleSchema = z.strictObject({
  id: nonEmptyString("a rule id"),
  enabled: z.boolean({ error: "expected a boolean" }),
  conditions: z.array(conditionSchema, { error: "expected an array of conditions (an empty array matches everyone)" }),
  rolloutPercentage: z.optional(percentage),
  variation: z.optional(nonEmptyString("a key of the flag's variations")),
  description: z.optional(z.string({ error: "expected a string" })),
});

const flagSchema = z
  .strictObject({
    key: nonEmptyString("a flag key"),
    enabled: z.boolean({ error: "expected a boolean" }),
    rolloutPercentage: z.optional(percentage),
    targetUsers: z.optional(z.array(z.string({ error: "expected a user id string" }), { error: "expected an array of user ids" })),
    rules: z.optional(z.array(ruleSchema, { error: "expected an array of rules" })),
    variations: z.optional(z.record(z.string(), z.json(), { error: "expected an object of variation key → value" })),
    defaultVariation: z.optional(nonEmptyString("a key of variations")),
    description: z.optional(z.string({ error: "expected a string" })),
  })
  .check(
    z.superRefine((flag, ctx) => {
    const variations = flag.variations ?? {};
    if (flag.defaultVariation !== undefined && !Object.hasOwn(variations, flag.defaultVariation)) {
      ctx.addIssue({ code: "custom", path: ["defaultVariation"], message: `expected a key of variations, got "${excerpt(flag.defaultVariation)}"` });
    }
    const seenRuleIds = new Map<string, number>();
    flag.rules?.forEach((rule, index) => {
      if (rule.variation !== undefined && !Object.hasOwn(variations, rule.variation)) {
        ctx.addIssue({ code: "custom", path: ["rules", index, "variation"], message: `expected a key of variations, got "${excerpt(rule.variation)}"` });
      }
      const earlier = seenRuleIds.get(rule.id);
      if (earlier !== undefined) {
        ctx.addIssue({ code: "custom", path: ["rules", index, "id"], message: `duplicate rule id "${excerpt(rule.id)}" (also rules[${earlier}])` });
      } else {
        seenRuleIds.set(rule.id, index);
      }
    });
    }),
  );

const segmentSchema = z.strictObject({
  conditions: z.array(conditionSchema, { error: "expected an array of conditions" }),
  description: z.optional(z.string({ error: "expected a string" })),
});

const fileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  flags: z.array(flagSchema, { error: "expected an array of flag definitions" }),
  segments: z.optional(z.record(z.string(), segmentSchema, { error: "expected an object of segment id → { conditions }" })),
});

type ParsedCondition = z.infer<typeof conditionSchema>;
type ParsedRule = z.infer<typeof ruleSchema>;
type ParsedFlag = z.infer<typeof flagSchema>;

// Normalised copies carry only the fields that were given, in one fixed order, so that two
// equal definitions encode to the same JSON (the server's change detection relies on it).
function toCondition(parsed: ParsedCondition): Condition {
  return { attribute: parsed.attribute, operator: parsed.operator, value: parsed.value as JsonValue };
}

function toRule(parsed: ParsedRule): Rule {
  return {
    id: parsed.id,
    enabled: parsed.enabled,
    conditions: parsed.conditions.map(toCondition),
    ...(parsed.rolloutPercentage === undefined ? {} : { rolloutPercentage: parsed.rolloutPercentage }),
    ...(parsed.variation === undefined ? {} : { variation: parsed.variation }),
  };
}

function toFlag(parsed: ParsedFlag): FlagDefinition {
  return {
    key: parsed.key,
    enabled: parsed.enabled,
    ...(parsed.rolloutPercentage === undefined ? {} : { rolloutPercentage: parsed.rolloutPercentage }),
    ...(parsed.targetUsers === undefined ? {} : { targetUsers: parsed.targetUsers }),
    ...(parsed.rules === undefined ? {} : { rules: parsed.rules.map(toRule) }),
    ...(parsed.variations === undefined ? {} : { variations: parsed.variations as Record<string, JsonValue> }),
    ...(parsed.defaultVariation === undefined ? {} : { defaultVariation: parsed.defaultVariation }),
  };
}

function toSegment(parsed: z.infer<typeof segmentSchema>): SegmentDefinition {
  return { conditions: parsed.conditions.map(toCondition) };
}

/** The segment ids a condition refers to, when it is a segment reference (§3.6). */
export function referencedSegments(condition: Condition): readonly string[] {
  if (condition.attribute !== "segment" || condition.operator !== "in") return [];
  if (typeof condition.value === "string") return [condition.value];
  if (Array.isArray(condition.value)) return condition.value.filter((id): id is string => typeof id === "string");
  return [];
}

function unknownSegmentIssues(
  flag: FlagDefinition,
  segments: Readonly<Record<string, SegmentDefinition>>,
  pathPrefix: readonly PropertyKey[],
): PayloadIssue[] {
  const issues: PayloadIssue[] = [];
  flag.rules?.forEach((rule, ruleIndex) =>
    rule.conditions.forEach((condition, conditionIndex) => {
      for (const id of referencedSegments(condition)) {
        if (!Object.hasOwn(segments, id)) {
          issues.push({
            path: formatPath([...pathPrefix, "rules", ruleIndex, "conditions", conditionIndex, "value"]),
            message: `expected a known segment id, got "${excerpt(id)}" (define it under "segments")`,
          });
        }
      }
    }),
  );
  return issues;
}

/**
 * Validates a parsed flags file. Throws a `FlagsFileError` naming the JSON path of the first
 * problem (e.g. `flags[2].rules[0].rolloutPercentage: expected a number from 0 to 100`);
 * duplicate flag keys and references to unknown segments are refused too.
 *
 * @param source how to name the input in messages, e.g. `flags file examples/flags.json`.
 * @example
 * const file = parseFlagsFile(JSON.parse(text), "flags file flags.json");
 */
export function parseFlagsFile(input: unknown, source = "flags file"): FlagsFile {
  const result = fileSchema.safeParse(input, IN_ENGLISH);
  if (!result.success) throw new FlagsFileError(source, toIssues(result.error, input));
  const flags = result.data.flags.map(toFlag);
  // A null prototype keeps ids such as "__proto__" ordinary keys.
  const segments: Record<string, SegmentDefinition> = Object.create(null) as Record<string, SegmentDefinition>;
  for (const [id, segment] of Object.entries(result.data.segments ?? {})) segments[id] = toSegment(segment);

  const issues: PayloadIssue[] = [];
  const firstIndexOfKey = new Map<string, number>();
  flags.forEach((flag, index) => {
    const earlier = firstIndexOfKey.get(flag.key);
    if (earlier === undefined) firstIndexOfKey.set(flag.key, index);
    else issues.push({ path: `flags[${index}].key`, message: `duplicate flag key "${excerpt(flag.key)}" (also flags[${earlier}])` });
    issues.push(...unknownSegmentIssues(flag, segments, ["flags", index]));
  });
  if (issues.length > 0) throw new FlagsFileError(source, issues);
  return { flags, segments };
}

/**
 * Parses the text of a flags file (JSON), then validates it with `parseFlagsFile`.
 *
 * @example
 * parseFlagsFileText('{"flags":[]}', "flags file inline"); // { flags: [], segments: {} }
 */
export function parseFlagsFileText(text: string, source = "flags file"): FlagsFile {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    // Not V8's message: it quotes the text, which need not be ours to print (a mistaken path).
    throw new FlagsFileError(source, [{ path: "", message: `not valid JSON (${describeJsonSyntaxError(text, error)})` }]);
  }
  return parseFlagsFile(input, source);
}

/**
 * Validates one flag definition (for `setFlag` and `PUT /admin/flags/:key`), including that
 * every segment it references exists in `segments`.
 *
 * @example
 * parseFlagDefinition({ key: "beta", enabled: true }, {}); // { key: "beta", enabled: true }
 */
export function parseFlagDefinition(
  input: unknown,
  segments: Readonly<Record<string, SegmentDefinition>>,
  source = "flag definition",
): FlagDefinition {
  const result = flagSchema.safeParse(input, IN_ENGLISH);
  if (!result.success) throw new FlagsFileError(source, toIssues(result.error, input));
  const flag = toFlag(result.data);
  const issues = unknownSegmentIssues(flag, segments, []);
  if (issues.length > 0) throw new FlagsFileError(source, issues);
  return flag;
}

/**
 * Validates one segment definition (for `setSegment` and `PUT /admin/segments/:id`).
 *
 * @example
 * parseSegmentDefinition({ conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] });
 */
export function parseSegmentDefinition(input: unknown, source = "segment definition"): SegmentDefinition {
  const result = segmentSchema.safeParse(input, IN_ENGLISH);
  if (!result.success) throw new FlagsFileError(source, toIssues(result.error, input));
  return toSegment(result.data);
}
