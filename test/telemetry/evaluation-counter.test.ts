import { EvaluationCounter, MAX_COUNTED_FLAGS } from "../../src/telemetry/evaluation-counter";
import { frozenFlagState } from "../../src/snapshot/frozen-flag-state";
import { FlagTable } from "../../src/model/flag-table";

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

  it("restore() adds a failed period to flags counted again since, whatever their place in the tally", () => {
    const counter = new EvaluationCounter(true);
    for (const key of ["a", "b", "c", "d"]) counter.record(key, true);
    counter.record("c", false);
    const failed = counter.take();
    counter.record("b", true);
    counter.record("c", true);
    counter.restore(failed);
    expect(counter.take().evaluations).toEqual({
      a: { total: 1, true: 1, false: 0 },
      b: { total: 2, true: 2, false: 0 },
      c: { total: 3, true: 2, false: 1 },
      d: { total: 1, true: 1, false: 0 },
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

describe("EvaluationCounter counting in flag tables", () => {
  const reason = Object.freeze({ kind: "FALLTHROUGH" as const, inRollout: true });
  const table = (entries: Record<string, boolean>) => FlagTable.of(Object.entries(entries).map(([key, enabled]) => [key, frozenFlagState("boolean", enabled, enabled, reason)]));
  const at = (flags: FlagTable, key: string) => flags.positions.get(key)!;

  it("counts a flag's evaluations by the value it served, and the same flag keeps counting after a period without evaluations", () => {
    const counter = new EvaluationCounter(true);
    const on = table({ f: true });
    const off = table({ f: false });
    for (let i = 0; i < 7; i++) counter.count(on, 0);
    for (let i = 0; i < 3; i++) counter.count(off, 0);
    expect(counter.take().evaluations).toEqual({ f: { total: 10, true: 7, false: 3 } });
    // A period in which nobody evaluated "f".
    expect(counter.take().evaluations).toEqual({});
    counter.count(on, 0);
    expect(counter.take().evaluations).toEqual({ f: { total: 1, true: 1, false: 0 } });
  });

  it("keeps every flag's counts apart, as the tally grows past its first size and tables share keys", () => {
    const counter = new EvaluationCounter(true);
    const entries = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`n${i}`, i % 3 !== 0]));
    const first = table(entries);
    for (let i = 0; i < 1000; i++) for (let n = 0; n <= i % 4; n++) counter.count(first, at(first, `n${i}`));
    // A second table (another user's) with the same keys: its counts add to the same flags.
    const second = FlagTable.of(first, first.order);
    expect(second.order).toBe(first.order);
    counter.count(second, at(second, "n7"));
    const { evaluations, total } = counter.take();
    expect(Object.keys(evaluations)).toHaveLength(1000);
    expect(evaluations["n0"]).toEqual({ total: 1, true: 0, false: 1 });
    expect(evaluations["n7"]).toEqual({ total: 5, true: 5, false: 0 });
    expect(evaluations["n999"]).toEqual({ total: 4, true: 0, false: 4 });
    expect(total).toBe(Array.from({ length: 1000 }, (_, i) => (i % 4) + 1).reduce((a, b) => a + b, 1));
  });

  it("counts in the table and gathers into the period when read, however the reads and counts interleave", () => {
    const counter = new EvaluationCounter(true);
    const flags = table({ a: true, b: false });
    for (let i = 0; i < 3; i++) counter.count(flags, at(flags, "a"));
    counter.count(flags, at(flags, "b"));
    expect(flags.hits).toBeDefined();
    expect(counter.pending()).toBe(4);
    // Gathered: the table's hits were taken back, and the next count starts them again.
    expect(flags.hits).toBeUndefined();
    counter.count(flags, at(flags, "a"));
    expect(counter.take().evaluations).toEqual({ a: { total: 4, true: 4, false: 0 }, b: { total: 1, true: 0, false: 1 } });
    expect(counter.pending()).toBe(0);
    counter.count(flags, at(flags, "b"));
    expect(counter.peek()).toEqual({ b: { total: 1, true: 0, false: 1 } });
  });

  it("gathers on its own once the counted tables hold many flags, and loses no count", () => {
    const counter = new EvaluationCounter(true);
    const tables = Array.from({ length: 40 }, (_, t) => table(Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`t${t}-f${i}`, true]))));
    for (const flags of tables) for (let position = 0; position < flags.size; position++) counter.count(flags, position);
    // 40 tables of 2,000 flags: past 65,536 flags the first ones were gathered (their hits taken back).
    expect(tables[0]!.hits).toBeUndefined();
    expect(tables[39]!.hits).toBeDefined();
    for (const flags of tables) counter.count(flags, 0);
    const { total, evaluations } = counter.take();
    expect(total).toBe(80_040);
    expect(evaluations["t39-f1999"]).toEqual({ total: 1, true: 1, false: 0 });
    expect(evaluations["t0-f0"]).toEqual({ total: 2, true: 2, false: 0 });
  });

  it("gathers as soon as the counted tables hold 65,536 flags, not one table later", () => {
    const counter = new EvaluationCounter(true);
    const tables = Array.from({ length: 32 }, (_, t) => table(Object.fromEntries(Array.from({ length: 2_048 }, (_, i) => [`t${t}-f${i}`, true]))));
    for (const flags of tables.slice(0, 31)) counter.count(flags, 0);
    expect(tables[30]!.hits).toBeDefined();
    // The 32nd table brings them to exactly 65,536 flags.
    counter.count(tables[31]!, 0);
    expect(tables.every((flags) => flags.hits === undefined)).toBe(true);
    expect(counter.take().total).toBe(32);
  });

  it("gives a counter only to flags that were evaluated: a large table's unread flags do not use up the cap", () => {
    const counter = new EvaluationCounter(true);
    const flags = table(Object.fromEntries(Array.from({ length: MAX_COUNTED_FLAGS + 1 }, (_, i) => [`f${i}`, true])));
    counter.count(flags, MAX_COUNTED_FLAGS);
    expect(counter.take().evaluations).toEqual({ [`f${MAX_COUNTED_FLAGS}`]: { total: 1, true: 1, false: 0 } });
  });

  it("gathers what was counted before it was deactivated, and counts nothing after", () => {
    const counter = new EvaluationCounter(true);
    const flags = table({ a: true });
    counter.count(flags, 0);
    counter.deactivate();
    counter.count(flags, 0);
    expect(flags.hits).toBeUndefined();
    expect(counter.peek()).toEqual({ a: { total: 1, true: 1, false: 0 } });
  });

  it("counts nothing in a table while inactive, and gives it no hits", () => {
    const counter = new EvaluationCounter(false);
    const flags = table({ a: true });
    counter.count(flags, 0);
    expect(flags.hits).toBeUndefined();
    expect(counter.pending()).toBe(0);
  });

  it("stays bounded by the cap when counting in tables: flags past it are not counted", () => {
    const counter = new EvaluationCounter(true);
    for (let i = 0; i < MAX_COUNTED_FLAGS; i++) counter.record(`flag-${i}`, true);
    const flags = table({ late: true, "flag-1": true });
    counter.count(flags, at(flags, "late"));
    counter.count(flags, at(flags, "flag-1"));
    const { evaluations } = counter.take();
    expect(evaluations["late"]).toBeUndefined();
    expect(evaluations["flag-1"]).toEqual({ total: 2, true: 2, false: 0 });
  });
});
