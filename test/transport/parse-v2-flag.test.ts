import fc from "fast-check";
import { parseV2Flag } from "../../src/transport/parse-v2-flag";
import { v2FlagSchema } from "../../src/transport/wire-schemas";

const json = fc.jsonValue({ maxDepth: 3 });
const anything = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constant(undefined), fc.constant(null), fc.double(), fc.constant(Number.NaN));
const kinds = fc.constantFrom("OFF", "TARGET_MATCH", "RULE_MATCH", "FALLTHROUGH", "ERROR", "UNKNOWN", "EXPERIMENT", "");
const errorKinds = fc.constantFrom("FLAG_NOT_FOUND", "MALFORMED_FLAG", "USER_NOT_SPECIFIED", "CLIENT_NOT_READY", "WRONG_TYPE", "EXCEPTION", "NEW_KIND");
const sometimes = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: anything });

const reason = fc.record(
  {
    kind: sometimes(kinds),
    ruleId: sometimes(fc.string()),
    ruleIndex: sometimes(fc.oneof(fc.nat(), fc.integer({ min: -3, max: -1 }), fc.constant(1.5), fc.constant(2 ** 53), fc.constant(Infinity))),
    inRollout: sometimes(fc.boolean()),
    errorKind: sometimes(errorKinds),
    extra: anything,
  },
  { requiredKeys: [] },
);

const entry = fc.record(
  {
    key: sometimes(fc.string()),
    type: sometimes(fc.constantFrom("boolean", "string", "number", "json", "date")),
    value: fc.oneof(json, fc.string(), fc.double(), fc.boolean(), fc.array(json, { maxLength: 3 }), anything),
    enabled: sometimes(fc.boolean()),
    reason: sometimes(reason),
    other: anything,
  },
  { requiredKeys: [] },
);

describe("parseV2Flag", () => {
  it("accepts exactly what v2FlagSchema accepts, and outputs what it outputs", () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: entry }, { weight: 1, arbitrary: anything }), (raw) => {
        const fast = parseV2Flag(raw);
        const schema = v2FlagSchema.safeParse(raw);
        expect(fast !== undefined).toBe(schema.success);
        if (fast !== undefined && schema.success) {
          expect(fast.type).toBe(schema.data.type);
          expect(fast.enabled).toBe(schema.data.enabled);
          expect(fast.value).toBe(schema.data.value);
          expect(fast.reason).toEqual(schema.data.reason);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it("leaves out the reason fields a JSON body does not carry, as the schema does (no keys holding undefined)", () => {
    for (const reason of [{ kind: "OFF" }, { kind: "RULE_MATCH", ruleId: "r" }, { kind: "FALLTHROUGH", inRollout: true }]) {
      const raw = { type: "boolean", value: true, enabled: true, reason };
      const parsed = v2FlagSchema.safeParse(raw);
      expect(Object.keys(parseV2Flag(raw)!.reason!)).toEqual(Object.keys(parsed.data!.reason!));
      expect(Object.keys(parseV2Flag(raw)!.reason!)).toEqual(Object.keys(reason));
    }
  });

  it.each([
    ["a typical enabled string flag", { key: "a", type: "string", value: "x", enabled: true, reason: { kind: "FALLTHROUGH", inRollout: true } }, true],
    ["a reason with an unknown kind (read as UNKNOWN)", { type: "boolean", value: true, enabled: true, reason: { kind: "NEW" } }, true],
    ["a reason with a fractional ruleIndex", { type: "boolean", value: true, enabled: true, reason: { kind: "RULE_MATCH", ruleIndex: 1.5 } }, false],
    ["a null reason", { type: "boolean", value: true, enabled: true, reason: null }, false],
    ["a missing value", { type: "boolean", enabled: false }, false],
    ["an array entry", [], false],
  ])("agrees with the schema on %s", (_name, raw, accepted) => {
    expect(parseV2Flag(raw) !== undefined).toBe(accepted);
    expect(v2FlagSchema.safeParse(raw).success).toBe(accepted);
  });
});
