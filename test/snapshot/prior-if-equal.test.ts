import type { EvaluationReason } from "../../src/model/evaluation-reason";
import type { FlagState } from "../../src/model/flag-state";
import { priorIfEqual } from "../../src/snapshot/prior-if-equal";

describe("priorIfEqual", () => {
  const reason: EvaluationReason = Object.freeze({ kind: "FALLTHROUGH", inRollout: true });
  const prior: FlagState = Object.freeze({ type: "json", enabled: true, value: Object.freeze({ limits: [1, 2], on: true }), reason });

  it("lends the prior state to a flag equal in type, enabled, reason (the same object) and value (as JSON, key order aside)", () => {
    expect(priorIfEqual(prior, "json", true, { on: true, limits: [1, 2] }, reason)).toBe(prior);
    expect(priorIfEqual(prior, "json", true, prior.value, reason)).toBe(prior);
  });

  it.each<[string, Parameters<typeof priorIfEqual>]>([
    ["no prior state", [undefined, "json", true, { limits: [1, 2], on: true }, reason]],
    ["another type", [prior, "string", true, { limits: [1, 2], on: true }, reason]],
    ["another enabled", [prior, "json", false, { limits: [1, 2], on: true }, reason]],
    ["an equal reason that is another object", [prior, "json", true, { limits: [1, 2], on: true }, { kind: "FALLTHROUGH", inRollout: true }]],
    ["another value", [prior, "json", true, { limits: [1, 3], on: true }, reason]],
    ["a value with one more key", [prior, "json", true, { limits: [1, 2], on: true, extra: 1 }, reason]],
  ])("gives nothing for %s", (_what, args) => {
    expect(priorIfEqual(...args)).toBeUndefined();
  });

  it("compares primitive values by identity", () => {
    const text: FlagState = { type: "string", enabled: true, value: "dark", reason };
    expect(priorIfEqual(text, "string", true, "dark", reason)).toBe(text);
    expect(priorIfEqual(text, "string", true, "light", reason)).toBeUndefined();
  });
});
