import type { EvaluationReason } from "../../src/model/evaluation-reason";
import { encodeReason } from "../../src/evaluation/encode-reason";

describe("encodeReason (PROTOCOL.md §3.3)", () => {
  it.each<readonly [string, EvaluationReason, string]>([
    ["OFF", { kind: "OFF" }, '{"kind":"OFF"}'],
    ["TARGET_MATCH", { kind: "TARGET_MATCH" }, '{"kind":"TARGET_MATCH"}'],
    [
      "a first-rule match, dropping ruleIndex 0",
      { kind: "RULE_MATCH", ruleId: "pro-rule", ruleIndex: 0, inRollout: true },
      '{"kind":"RULE_MATCH","ruleId":"pro-rule","inRollout":true}',
    ],
    [
      "a later-rule match outside the rollout, dropping inRollout false",
      { kind: "RULE_MATCH", ruleId: "r3", ruleIndex: 2, inRollout: false },
      '{"kind":"RULE_MATCH","ruleId":"r3","ruleIndex":2}',
    ],
    [
      "a rule with an empty id, dropping ruleId",
      { kind: "RULE_MATCH", ruleId: "", ruleIndex: 1, inRollout: true },
      '{"kind":"RULE_MATCH","ruleIndex":1,"inRollout":true}',
    ],
    ["a fallthrough inside the rollout", { kind: "FALLTHROUGH", inRollout: true }, '{"kind":"FALLTHROUGH","inRollout":true}'],
    ["a fallthrough outside the rollout", { kind: "FALLTHROUGH", inRollout: false }, '{"kind":"FALLTHROUGH"}'],
    ["an error", { kind: "ERROR", errorKind: "CLIENT_NOT_READY" }, '{"kind":"ERROR","errorKind":"CLIENT_NOT_READY"}'],
  ])("encodes %s", (_name, reason, json) => {
    expect(JSON.stringify(encodeReason(reason))).toBe(json);
  });

  it("writes keys in the order kind, ruleId, ruleIndex, inRollout, errorKind", () => {
    const reason = { errorKind: "EXCEPTION", inRollout: true, ruleIndex: 4, ruleId: "r", kind: "ERROR" } as const;
    expect(Object.keys(encodeReason(reason))).toEqual(["kind", "ruleId", "ruleIndex", "inRollout", "errorKind"]);
  });

  it("leaves out the fields that are absent or zero, as keys and not only in JSON", () => {
    expect(Object.keys(encodeReason({ kind: "OFF" }))).toEqual(["kind"]);
    expect(Object.keys(encodeReason({ kind: "RULE_MATCH", ruleId: "", ruleIndex: 0, inRollout: false }))).toEqual(["kind"]);
  });
});
