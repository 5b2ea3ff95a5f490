import fc from "fast-check";
import { evaluateFlag } from "../../src/evaluation/evaluate-flag";
import type {
  Condition,
  EvaluationUser,
  FlagDefinition,
  JsonValue,
  Rule,
  SegmentDefinition,
} from "../../src/model/flag-model";

const isPro: Condition = { attribute: "plan", operator: "eq", value: "pro" };
const proUser: EvaluationUser = { id: "user-1", attributes: { plan: "pro" } };
const freeUser: EvaluationUser = { id: "user-1", attributes: { plan: "free" } };

const rule = (id: string, overrides: Partial<Rule> = {}): Rule => ({
  id,
  enabled: true,
  conditions: [isPro],
  rolloutPercentage: 100,
  ...overrides,
});

describe("evaluateFlag: evaluation order (PROTOCOL.md §3.2)", () => {
  it("serves false with reason OFF when the flag is disabled, whatever else matches", () => {
    const flag: FlagDefinition = {
      key: "f",
      enabled: false,
      rolloutPercentage: 100,
      targetUsers: ["user-1"],
      rules: [rule("r")],
      variations: { on: "dark" },
      defaultVariation: "on",
    };
    expect(evaluateFlag(flag, proUser)).toEqual({
      key: "f",
      enabled: false,
      type: "string",
      value: false,
      reason: { kind: "OFF" },
    });
  });

  it("serves true with TARGET_MATCH to a targeted user, skipping rules and rollout", () => {
    const flag: FlagDefinition = {
      key: "f",
      enabled: true,
      targetUsers: ["someone", "user-1"],
      rules: [rule("r", { rolloutPercentage: 0 })],
    };
    expect(evaluateFlag(flag, proUser)).toMatchObject({ enabled: true, value: true, reason: { kind: "TARGET_MATCH" } });
  });

  it("matches target users exactly and case-sensitively", () => {
    const flag: FlagDefinition = { key: "f", enabled: true, targetUsers: ["User-1", "user-1 "] };
    expect(evaluateFlag(flag, proUser).reason).toEqual({ kind: "FALLTHROUGH", inRollout: false });
  });

  it("lets the empty id match only an empty target entry", () => {
    const anonymous: EvaluationUser = { id: "" };
    expect(evaluateFlag({ key: "f", enabled: true, targetUsers: ["user-1"] }, anonymous).enabled).toBe(false);
    expect(evaluateFlag({ key: "f", enabled: true, targetUsers: [""] }, anonymous).reason).toEqual({
      kind: "TARGET_MATCH",
    });
  });

  it("lets the first enabled matching rule decide, with a complete RULE_MATCH reason", () => {
    const flag: FlagDefinition = { key: "f", enabled: true, rules: [rule("pro-rule"), rule("second")] };
    expect(evaluateFlag(flag, proUser)).toEqual({
      key: "f",
      enabled: true,
      type: "boolean",
      value: true,
      reason: { kind: "RULE_MATCH", ruleId: "pro-rule", ruleIndex: 0, inRollout: true },
    });
  });

  it("skips disabled rules but counts them in ruleIndex", () => {
    const flag: FlagDefinition = {
      key: "f",
      enabled: true,
      rules: [rule("off-1", { enabled: false }), rule("no-match", { conditions: [{ ...isPro, value: "x" }] }), rule("hit")],
    };
    expect(evaluateFlag(flag, proUser).reason).toEqual({
      kind: "RULE_MATCH",
      ruleId: "hit",
      ruleIndex: 2,
      inRollout: true,
    });
  });

  it("serves false from a matched rule at 0 % and does not fall through", () => {
    const flag: FlagDefinition = {
      key: "f",
      enabled: true,
      rolloutPercentage: 100,
      rules: [rule("zero", { rolloutPercentage: 0 }), rule("later")],
    };
    expect(evaluateFlag(flag, proUser)).toMatchObject({
      enabled: false,
      value: false,
      reason: { kind: "RULE_MATCH", ruleId: "zero", ruleIndex: 0, inRollout: false },
    });
  });

  it("reads a rule's missing rolloutPercentage as 0", () => {
    const { rolloutPercentage: _omitted, ...noPercentage } = rule("r");
    const flag: FlagDefinition = { key: "f", enabled: true, rolloutPercentage: 100, rules: [noPercentage] };
    expect(evaluateFlag(flag, proUser)).toMatchObject({ enabled: false, reason: { kind: "RULE_MATCH", inRollout: false } });
  });

  it("matches everyone with a rule that has no conditions", () => {
    const flag: FlagDefinition = { key: "f", enabled: true, rules: [rule("all", { conditions: [] })] };
    expect(evaluateFlag(flag, { id: "" }).reason).toMatchObject({ kind: "RULE_MATCH", ruleId: "all" });
  });

  it("falls through when no rule matches, with a complete FALLTHROUGH reason", () => {
    const flag: FlagDefinition = { key: "f", enabled: true, rolloutPercentage: 100, rules: [rule("r")] };
    expect(evaluateFlag(flag, freeUser)).toEqual({
      key: "f",
      enabled: true,
      type: "boolean",
      value: true,
      reason: { kind: "FALLTHROUGH", inRollout: true },
    });
  });

  it("reads a flag's missing rolloutPercentage as 0: nobody gets it by fallthrough", () => {
    expect(evaluateFlag({ key: "f", enabled: true }, freeUser)).toEqual({
      key: "f",
      enabled: false,
      type: "boolean",
      value: false,
      reason: { kind: "FALLTHROUGH", inRollout: false },
    });
  });

  it("uses the same bucket for rules and fallthrough (user-1 on feature-x is bucket 33)", () => {
    const at = (rulePercentage: number, fallthrough: number, user: EvaluationUser) =>
      evaluateFlag(
        { key: "feature-x", enabled: true, rolloutPercentage: fallthrough, rules: [rule("r", { rolloutPercentage: rulePercentage })] },
        user,
      ).enabled;
    expect([at(33, 0, proUser), at(34, 0, proUser)]).toEqual([false, true]);
    expect([at(0, 33, freeUser), at(0, 34, freeUser)]).toEqual([false, true]);
  });

  it("buckets anonymous users by the empty id (\":rollout-50\" is bucket 96)", () => {
    const anonymous: EvaluationUser = { id: "" };
    expect(evaluateFlag({ key: "rollout-50", enabled: true, rolloutPercentage: 50 }, anonymous).enabled).toBe(false);
    expect(evaluateFlag({ key: "rollout-50", enabled: true, rolloutPercentage: 97 }, anonymous).enabled).toBe(true);
  });

  it("puts alice outside rollout-75 at 75 % (bucket 75, the boundary)", () => {
    expect(evaluateFlag({ key: "rollout-75", enabled: true, rolloutPercentage: 75 }, { id: "alice" }).enabled).toBe(false);
  });

  it("sees the implicit id and the email as attributes", () => {
    const byId: FlagDefinition = {
      key: "f",
      enabled: true,
      rules: [rule("id", { conditions: [{ attribute: "id", operator: "starts_with", value: "user-" }] })],
    };
    const byEmail: FlagDefinition = {
      key: "f",
      enabled: true,
      rules: [rule("mail", { conditions: [{ attribute: "email", operator: "ends_with", value: "@acme.io" }] })],
    };
    expect(evaluateFlag(byId, { id: "user-9", attributes: { id: "admin" } }).enabled).toBe(true);
    expect(evaluateFlag(byEmail, { id: "u", email: "a@acme.io" }).enabled).toBe(true);
    expect(evaluateFlag(byEmail, { id: "u" }).enabled).toBe(false);
  });

  it("expands segments before matching", () => {
    const segments: Record<string, SegmentDefinition> = { pros: { conditions: [isPro] } };
    const flag: FlagDefinition = {
      key: "f",
      enabled: true,
      rules: [rule("seg", { conditions: [{ attribute: "segment", operator: "in", value: "pros" }] })],
    };
    expect(evaluateFlag(flag, proUser, segments).enabled).toBe(true);
    expect(evaluateFlag(flag, freeUser, segments).enabled).toBe(false);
    // Without the segment registered, the reference is a literal condition: always false.
    expect(evaluateFlag(flag, proUser).enabled).toBe(false);
  });

  it("matches everyone when a rule's only condition names no known segment in an array", () => {
    const flag: FlagDefinition = {
      key: "f",
      enabled: true,
      rules: [rule("seg", { conditions: [{ attribute: "segment", operator: "in", value: ["ghost"] }] })],
    };
    expect(evaluateFlag(flag, { id: "" }).reason).toMatchObject({ kind: "RULE_MATCH", ruleId: "seg" });
  });
});

describe("evaluateFlag: typed values (PROTOCOL.md §3.8)", () => {
  const themed = (overrides: Partial<FlagDefinition> = {}): FlagDefinition => ({
    key: "theme",
    enabled: true,
    rolloutPercentage: 100,
    variations: { light: "light", dark: "dark", blue: "blue" },
    defaultVariation: "light",
    ...overrides,
  });

  it("serves the default variation on fallthrough", () => {
    expect(evaluateFlag(themed(), freeUser)).toMatchObject({ type: "string", enabled: true, value: "light" });
  });

  it("serves the matched rule's variation", () => {
    expect(evaluateFlag(themed({ rules: [rule("r", { variation: "dark" })] }), proUser).value).toBe("dark");
  });

  it("serves the default variation for a matched rule without one", () => {
    expect(evaluateFlag(themed({ rules: [rule("r")] }), proUser).value).toBe("light");
  });

  it("serves true when the chosen variation key does not exist", () => {
    expect(evaluateFlag(themed({ rules: [rule("r", { variation: "missing" })] }), proUser).value).toBe(true);
    expect(evaluateFlag(themed({ defaultVariation: "missing" }), freeUser)).toMatchObject({ type: "boolean", value: true });
  });

  it("serves the default variation on TARGET_MATCH, even if a rule would pick another", () => {
    const flag = themed({ targetUsers: ["user-1"], rules: [rule("r", { variation: "dark" })] });
    expect(evaluateFlag(flag, proUser)).toMatchObject({ value: "light", reason: { kind: "TARGET_MATCH" } });
  });

  it("serves false, not a variation, when the result is false", () => {
    expect(evaluateFlag(themed({ rolloutPercentage: 0 }), freeUser)).toMatchObject({ enabled: false, value: false });
    expect(evaluateFlag(themed({ enabled: false }), freeUser)).toMatchObject({ type: "string", value: false });
    expect(evaluateFlag(themed({ rules: [rule("r", { variation: "dark", rolloutPercentage: 0 })] }), proUser).value).toBe(false);
  });

  it.each<readonly [string, JsonValue, string]>([
    ["a number", 20, "number"],
    ["an object", { enabled: true, max: 3 }, "json"],
    ["a boolean", false, "boolean"],
    ["an array (reported as boolean)", ["a", "b"], "boolean"],
    ["null", null, "boolean"],
  ])("serves %s default as it is, typed %j", (_name, value, type) => {
    const flag: FlagDefinition = { key: "f", enabled: true, rolloutPercentage: 100, variations: { v: value }, defaultVariation: "v" };
    expect(evaluateFlag(flag, freeUser)).toMatchObject({ type, enabled: true, value });
  });

  it("serves the boolean result for a flag without variations or without a default", () => {
    expect(evaluateFlag({ key: "f", enabled: true, rolloutPercentage: 100 }, freeUser).value).toBe(true);
    const noDefault: FlagDefinition = { key: "f", enabled: true, variations: { dark: "dark" }, rules: [rule("r", { variation: "dark" })] };
    expect(evaluateFlag(noDefault, proUser)).toMatchObject({ type: "boolean", value: true });
    expect(evaluateFlag({ key: "f", enabled: true, variations: {}, defaultVariation: "x", rolloutPercentage: 100 }, freeUser).value).toBe(true);
  });
});

describe("evaluateFlag: robustness", () => {
  const jsonValue: fc.Arbitrary<JsonValue> = fc.jsonValue() as fc.Arbitrary<JsonValue>;
  const operators = fc.oneof(
    fc.constantFrom(
      "eq", "neq", "contains", "not_contains", "starts_with", "ends_with", "gt", "gte", "lt", "lte",
      "in", "not_in", "regex", "semver_eq", "semver_gt", "semver_gte", "semver_lt", "semver_lte", "is_set",
    ),
    fc.string(),
  );
  const attributeNames = fc.oneof(fc.constantFrom("id", "email", "plan", "segment", "__proto__", "constructor"), fc.string());
  const conditionValue = fc.oneof(
    jsonValue,
    fc.stringMatching(/^[\^$.*+?()[\]{}|\\a-c0-9:\-PpQEdwsbBiUm<>!=,]{0,12}$/),
    fc.constantFrom("(a+)+$", "(?i)[^a]", "\\p{Greek}", "NaN", "1e400", "v1.2.3-beta", "(?<=a)", "[[:alpha:]]"),
  );
  const condition: fc.Arbitrary<Condition> = fc.record({ attribute: attributeNames, operator: operators, value: conditionValue });
  const ruleArbitrary: fc.Arbitrary<Rule> = fc.record(
    {
      id: fc.string(),
      enabled: fc.boolean(),
      conditions: fc.array(condition, { maxLength: 4 }),
      rolloutPercentage: fc.oneof(fc.integer({ min: -10, max: 110 }), fc.double()),
      variation: fc.string(),
    },
    { requiredKeys: ["id", "enabled", "conditions"] },
  );
  const flag: fc.Arbitrary<FlagDefinition> = fc.record(
    {
      key: fc.string(),
      enabled: fc.boolean(),
      rolloutPercentage: fc.integer({ min: -10, max: 110 }),
      targetUsers: fc.array(fc.string(), { maxLength: 3 }),
      rules: fc.array(ruleArbitrary, { maxLength: 4 }),
      variations: fc.dictionary(fc.string(), jsonValue, { maxKeys: 3 }),
      defaultVariation: fc.string(),
    },
    { requiredKeys: ["key", "enabled"] },
  );
  const user: fc.Arbitrary<EvaluationUser> = fc.record(
    { id: fc.string(), email: fc.string(), attributes: fc.dictionary(attributeNames, conditionValue, { maxKeys: 5 }) },
    { requiredKeys: ["id"] },
  );
  const segments = fc.dictionary(fc.string(), fc.record({ conditions: fc.array(condition, { maxLength: 3 }) }), { maxKeys: 3 });

  it("never throws, and always returns a well-formed evaluation, for arbitrary conditions and attributes", () => {
    fc.assert(
      fc.property(flag, user, segments, (definition, evaluatedUser, registered) => {
        const result = evaluateFlag(definition, evaluatedUser, registered);
        expect(result.key).toBe(definition.key);
        expect(typeof result.enabled).toBe("boolean");
        if (!result.enabled) expect(result.value).toBe(false);
        if (result.reason.kind === "RULE_MATCH" || result.reason.kind === "FALLTHROUGH") {
          expect(result.reason.inRollout).toBe(result.enabled);
        }
        if (result.reason.kind === "RULE_MATCH") expect(typeof result.reason.ruleIndex).toBe("number");
      }),
      { numRuns: 3000 },
    );
  });
});
