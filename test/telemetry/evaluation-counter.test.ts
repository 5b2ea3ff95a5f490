import { EvaluationCounter, MAX_COUNTED_FLAGS } from "../../src/telemetry/evaluation-counter";
import { frozenFlagState } from "../../src/snapshot/frozen-flag-state";

describe("EvaluationCounter", () => {
  it("counts 7 true and 3 false of one flag as the protocol's counters", () => {
    const counter = new EvaluationCounter(true);
    for (let i = 0; i < 7; i++) counter.record("new-checkout", true);
    for (let i = 0; i < 3; i++) counter.record("new-checkout", false);
    expect(JSON.stringify(counter.take().evaluations)).toBe('{"new-checkout":{"total":10,"true":7,"false":3}}');
  });

  it("counts several flags apart, and keeps a flag named __proto__ as an own key", () => {
    const counter = new EvaluationCounter(true);
    counter.record("a", true);
    counter.record("b", false);
    counter.record("b", false);
    counter.record("__proto__", true);
    expect(counter.pending()).toBe(4);
    const period = counter.take();
    expect(period.total).toBe(4);
    expect(JSON.parse(JSON.stringify(period.evaluations))).toEqual({
      a: { total: 1, true: 1, false: 0 },
      b: { total: 2, true: 0, false: 2 },
      ["__proto__"]: { total: 1, true: 1, false: 0 },
    });
  });

  it("take() empties the counters; peek() does not", () => {
    const counter = new EvaluationCounter(true);
    counter.record("a", true);
    expect(counter.peek()).toEqual({ a: { total: 1, true: 1, false: 0 } });
    expect(counter.pending()).toBe(1);
    counter.take();
    expect(counter.pending()).toBe(0);
    expect(counter.take()).toEqual({ evaluations: {}, total: 0 });
    counter.record("a", false);
    expect(counter.take().evaluations).toEqual({ a: { total: 1, true: 0, false: 1 } });
  });

  it("restore() merges a failed period into the current one", () => {
    const counter = new EvaluationCounter(true);
    counter.record("a", true);
    counter.record("b", false);
    const failed = counter.take();
    counter.record("a", true);
    counter.record("c", true);
    counter.restore(failed);
    expect(counter.take()).toEqual({
      evaluations: { a: { total: 2, true: 2, false: 0 }, b: { total: 1, true: 0, false: 1 }, c: { total: 1, true: 1, false: 0 } },
      total: 4,
    });
  });

  it("records nothing while inactive (telemetry off, stopped or closed)", () => {
    const off = new EvaluationCounter(false);
    off.record("a", true);
    expect(off.pending()).toBe(0);
    const on = new EvaluationCounter(true);
    on.record("a", true);
    on.deactivate();
    on.record("a", true);
    expect(on.pending()).toBe(1);
  });

  it("stays bounded by the number of flags: unused flags are forgotten at take(), and past the cap new keys are not kept", () => {
    const counter = new EvaluationCounter(true);
    for (let i = 0; i < MAX_COUNTED_FLAGS + 10; i++) counter.record(`flag-${i}`, true);
    expect(counter.pending()).toBe(MAX_COUNTED_FLAGS);
    counter.take();
    counter.record("flag-1", true);
    counter.take();
    // Only flag-1 was evaluated in the last period: every other counter was dropped.
    counter.record("flag-2", false);
    expect(counter.take().evaluations).toEqual({ "flag-2": { total: 1, true: 0, false: 1 } });
  });
});

describe("EvaluationCounter with counter slots on flag states", () => {
  const reason = Object.freeze({ kind: "FALLTHROUGH" as const, inRollout: true });

  it("counts through the state's slot, and the same slot keeps counting after a period without evaluations", () => {
    const counter = new EvaluationCounter(true);
    const on = frozenFlagState("boolean", true, true, reason, counter.slotFor("f", true));
    const off = frozenFlagState("boolean", false, false, reason, counter.slotFor("f", false));
    for (let i = 0; i < 7; i++) counter.count("f", on);
    for (let i = 0; i < 3; i++) counter.count("f", off);
    expect(counter.take().evaluations).toEqual({ f: { total: 10, true: 7, false: 3 } });
    // A period in which nobody evaluated "f": its slots must not be forgotten, states still hold them.
    expect(counter.take().evaluations).toEqual({});
    counter.count("f", on);
    expect(counter.take().evaluations).toEqual({ f: { total: 1, true: 1, false: 0 } });
    expect(counter.slotFor("f", true)).toBe(0);
    expect(counter.slotFor("f", false)).toBe(1);
  });

  it("keeps every flag's counts apart as the tally grows past its first size", () => {
    const counter = new EvaluationCounter(true);
    const states = Array.from({ length: 1000 }, (_, i) => frozenFlagState("number", i % 3 !== 0, i, reason, counter.slotFor(`n${i}`, i % 3 !== 0)));
    states.forEach((state, i) => {
      for (let n = 0; n <= i % 4; n++) counter.count(`n${i}`, state);
    });
    const { evaluations, total } = counter.take();
    expect(Object.keys(evaluations)).toHaveLength(1000);
    expect(evaluations["n0"]).toEqual({ total: 1, true: 0, false: 1 });
    expect(evaluations["n7"]).toEqual({ total: 4, true: 4, false: 0 });
    expect(evaluations["n999"]).toEqual({ total: 4, true: 0, false: 4 });
    expect(total).toBe(states.reduce((sum, _, i) => sum + (i % 4) + 1, 0));
  });

  it("counts states without a slot (from the cache, from test data) by key, and nothing once inactive", () => {
    const counter = new EvaluationCounter(true);
    counter.count("g", frozenFlagState("string", true, "x", reason));
    expect(counter.peek()).toEqual({ g: { total: 1, true: 1, false: 0 } });
    const slotted = frozenFlagState("string", true, "x", reason, counter.slotFor("g", true));
    counter.deactivate();
    counter.count("g", slotted);
    expect(counter.slotFor("h", true)).toBeUndefined();
    expect(counter.peek()).toEqual({ g: { total: 1, true: 1, false: 0 } });
  });

  it("keeps the slot and the hits out of what callers see: keys, JSON and copies", () => {
    const counter = new EvaluationCounter(true);
    const state = frozenFlagState("json", true, { max: 3 }, reason, counter.slotFor("n", true));
    counter.count("n", state);
    expect(Object.keys(state)).toEqual(["type", "enabled", "value", "reason"]);
    expect(JSON.parse(JSON.stringify(state))).toEqual({ type: "json", enabled: true, value: { max: 3 }, reason: { kind: "FALLTHROUGH", inRollout: true } });
    // Counted in place: sealed (no field added or removed), its value and reason frozen.
    expect(Object.isSealed(state)).toBe(true);
    expect(Object.isFrozen(state.value)).toBe(true);
    expect(Object.isFrozen(state.reason)).toBe(true);
  });

  it("counts in the state and gathers into the period when read, however the reads and counts interleave", () => {
    const counter = new EvaluationCounter(true);
    const on = frozenFlagState("boolean", true, true, reason, counter.slotFor("a", true));
    const off = frozenFlagState("boolean", false, false, reason, counter.slotFor("a", false));
    for (let i = 0; i < 3; i++) counter.count("a", on);
    counter.count("a", off);
    expect(counter.pending()).toBe(4);
    counter.count("a", on);
    expect(counter.take().evaluations).toEqual({ a: { total: 5, true: 4, false: 1 } });
    expect(counter.pending()).toBe(0);
    counter.count("a", off);
    expect(counter.peek()).toEqual({ a: { total: 1, true: 0, false: 1 } });
  });

  it("gathers on its own once many states were counted, and loses no count", () => {
    const counter = new EvaluationCounter(true);
    const states = Array.from({ length: 40_000 }, (_, i) => frozenFlagState("boolean", true, true, reason, counter.slotFor(`f${i}`, true)));
    for (const state of states) counter.count("unused", state);
    for (const state of states) counter.count("unused", state);
    const { total, evaluations } = counter.take();
    expect(total).toBe(80_000);
    expect(evaluations["f39999"]).toEqual({ total: 2, true: 2, false: 0 });
  });

  it("gathers what was counted before it was deactivated, and counts nothing after", () => {
    const counter = new EvaluationCounter(true);
    const state = frozenFlagState("boolean", true, true, reason, counter.slotFor("a", true));
    counter.count("a", state);
    counter.deactivate();
    counter.count("a", state);
    expect(counter.peek()).toEqual({ a: { total: 1, true: 1, false: 0 } });
  });
});
