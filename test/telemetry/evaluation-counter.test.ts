import { EvaluationCounter, GATHER_INTERVAL_MS, MAX_COUNTED_FLAGS } from "../../src/telemetry/evaluation-counter";
import { frozenFlagState } from "../../src/snapshot/frozen-flag-state";
import { FlagCode, FlagTable } from "../../src/model/flag-table";
import { countAt, SlotLayout } from "../../src/model/flag-cells";

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
  /** Each flag's slot (code and count), in position order. */
  const slots = (flags: FlagTable) => flags.cells.filter((_, cell) => cell % 2 === 0) as number[];
  /** A store as the counter sees one: something whose current flags the getters read. */
  const storeOf = (flags: FlagTable): { flags: FlagTable } => ({ flags });

  it("counts a flag's evaluations by the value it served, and the same flag keeps counting after a period without evaluations", () => {
    const counter = new EvaluationCounter(true);
    const on = storeOf(table({ f: true }));
    const off = storeOf(table({ f: false }));
    counter.watch(on);
    counter.watch(off);
    for (let i = 0; i < 7; i++) countAt(on.flags.cells, 0);
    for (let i = 0; i < 3; i++) countAt(off.flags.cells, 0);
    expect(counter.take().evaluations).toEqual({ f: { total: 10, true: 7, false: 3 } });
    // A period in which nobody evaluated "f".
    expect(counter.take().evaluations).toEqual({});
    countAt(on.flags.cells, 0);
    expect(counter.take().evaluations).toEqual({ f: { total: 1, true: 1, false: 0 } });
  });

  it("keeps every flag's counts apart, as the tally grows past its first size and tables share keys", () => {
    const counter = new EvaluationCounter(true);
    const entries = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`n${i}`, i % 3 !== 0]));
    const first = storeOf(table(entries));
    counter.watch(first);
    for (let i = 0; i < 1000; i++) for (let n = 0; n <= i % 4; n++) countAt(first.flags.cells, at(first.flags, `n${i}`));
    // A second table (another user's) with the same keys: its counts add to the same flags.
    const second = storeOf(FlagTable.of(first.flags, first.flags.order));
    expect(second.flags.order).toBe(first.flags.order);
    counter.watch(second);
    countAt(second.flags.cells, at(second.flags, "n7"));
    const { evaluations, total } = counter.take();
    expect(Object.keys(evaluations)).toHaveLength(1000);
    expect(evaluations["n0"]).toEqual({ total: 1, true: 0, false: 1 });
    expect(evaluations["n7"]).toEqual({ total: 5, true: 5, false: 0 });
    expect(evaluations["n999"]).toEqual({ total: 4, true: 0, false: 4 });
    expect(total).toBe(Array.from({ length: 1000 }, (_, i) => (i % 4) + 1).reduce((a, b) => a + b, 1));
  });

  it("counts in the table and gathers into the period when read, leaving the codes as they were", () => {
    const counter = new EvaluationCounter(true);
    const store = storeOf(table({ a: true, b: false }));
    counter.watch(store);
    for (let i = 0; i < 3; i++) countAt(store.flags.cells, at(store.flags, "a"));
    countAt(store.flags.cells, at(store.flags, "b"));
    expect(slots(store.flags)).toEqual([FlagCode.Enabled + 3 * SlotLayout.OneEvaluation, SlotLayout.OneEvaluation]);
    expect(counter.pending()).toBe(4);
    // Gathered: the table's counts were cleared, its codes kept.
    expect(slots(store.flags)).toEqual([FlagCode.Enabled, 0]);
    countAt(store.flags.cells, at(store.flags, "a"));
    expect(counter.take().evaluations).toEqual({ a: { total: 4, true: 4, false: 0 }, b: { total: 1, true: 0, false: 1 } });
    expect(counter.pending()).toBe(0);
    countAt(store.flags.cells, at(store.flags, "b"));
    expect(counter.peek()).toEqual({ b: { total: 1, true: 0, false: 1 } });
  });

  it("gathers from a store's current flags, whichever they are, and from a table when its store replaces it", () => {
    const counter = new EvaluationCounter(true);
    const first = table({ a: true });
    const store = { flags: first };
    counter.watch(store);
    countAt(first.cells, 0);
    // The store moves on: the getters may still count in the old table, but only until retired.
    const second = table({ a: false });
    store.flags = second;
    counter.retire(first);
    countAt(second.cells, 0);
    countAt(second.cells, 0);
    expect(counter.take().evaluations).toEqual({ a: { total: 3, true: 1, false: 2 } });
    expect(slots(first)).toEqual([FlagCode.Enabled]);
  });

  it("gathers a store a last time when it stops watching it, and no more after", () => {
    const counter = new EvaluationCounter(true);
    const store = storeOf(table({ a: true }));
    counter.watch(store);
    countAt(store.flags.cells, 0);
    counter.unwatch(store);
    expect(slots(store.flags)).toEqual([FlagCode.Enabled]);
    countAt(store.flags.cells, 0);
    // Unwatching twice is harmless.
    counter.unwatch(store);
    expect(counter.take().evaluations).toEqual({ a: { total: 1, true: 1, false: 0 } });
    expect(slots(store.flags)).toEqual([FlagCode.Enabled + SlotLayout.OneEvaluation]);
  });

  it("gathers on demand, as the telemetry reporter does every GATHER_INTERVAL_MS", () => {
    const counter = new EvaluationCounter(true);
    const store = storeOf(table({ a: true }));
    counter.watch(store);
    countAt(store.flags.cells, 0);
    counter.gather();
    expect(slots(store.flags)).toEqual([FlagCode.Enabled]);
    expect(counter.take().evaluations).toEqual({ a: { total: 1, true: 1, false: 0 } });
    expect(GATHER_INTERVAL_MS).toBeLessThanOrEqual(1_000);
  });

  it("gives a counter only to flags that were evaluated: a large table's unread flags do not use up the cap", () => {
    const counter = new EvaluationCounter(true);
    const store = storeOf(table(Object.fromEntries(Array.from({ length: MAX_COUNTED_FLAGS + 1 }, (_, i) => [`f${i}`, true]))));
    counter.watch(store);
    countAt(store.flags.cells, MAX_COUNTED_FLAGS);
    expect(counter.take().evaluations).toEqual({ [`f${MAX_COUNTED_FLAGS}`]: { total: 1, true: 1, false: 0 } });
  });

  it("gathers what was counted before it was deactivated, and watches, retires and gathers nothing after", () => {
    const counter = new EvaluationCounter(true);
    const store = storeOf(table({ a: true }));
    counter.watch(store);
    countAt(store.flags.cells, 0);
    counter.deactivate();
    countAt(store.flags.cells, 0);
    const other = storeOf(table({ b: true }));
    counter.watch(other);
    countAt(other.flags.cells, 0);
    counter.retire(other.flags);
    expect(counter.peek()).toEqual({ a: { total: 1, true: 1, false: 0 } });
    expect(counter.pending()).toBe(1);
    expect(slots(other.flags)).toEqual([FlagCode.Enabled + SlotLayout.OneEvaluation]);
  });

  it("gathers nothing while inactive: the tables count on, unwatched", () => {
    const counter = new EvaluationCounter(false);
    const store = storeOf(table({ a: true }));
    counter.watch(store);
    expect(countAt(store.flags.cells, 0)).toBe(FlagCode.Enabled);
    expect(countAt(store.flags.cells, 0)).toBe(FlagCode.Enabled);
    expect(counter.pending()).toBe(0);
    expect(counter.take()).toEqual({ evaluations: {}, total: 0 });
    expect(slots(store.flags)).toEqual([FlagCode.Enabled + 2 * SlotLayout.OneEvaluation]);
  });

  it("countAt returns the flag's code from each count, and a typed flag that is off counts as false", () => {
    const counter = new EvaluationCounter(true);
    const store = storeOf(
      FlagTable.of([
        ["on", frozenFlagState("boolean", true, true, reason)],
        ["theme", frozenFlagState("string", true, "dark", reason)],
        ["size-off", frozenFlagState("number", false, 3, reason)],
      ]),
    );
    counter.watch(store);
    const flags = store.flags;
    for (let i = 0; i < 3; i++) expect([countAt(flags.cells, 0), countAt(flags.cells, 1), countAt(flags.cells, 2)]).toEqual([FlagCode.Enabled, FlagCode.ServedString, FlagCode.ServedNumber - FlagCode.Enabled]);
    expect(counter.take().evaluations).toEqual({ on: { total: 3, true: 3, false: 0 }, theme: { total: 3, true: 3, false: 0 }, "size-off": { total: 3, true: 0, false: 3 } });
    expect(slots(flags)).toEqual([FlagCode.Enabled, FlagCode.ServedString, FlagCode.ServedNumber - FlagCode.Enabled]);
  });

  it("keeps a slot a small integer and its code intact when its count wraps past 2^26 - 1", () => {
    const counter = new EvaluationCounter(true);
    const store = storeOf(FlagTable.of([["theme", frozenFlagState("string", true, "dark", reason)]]));
    counter.watch(store);
    const flags = store.flags;
    flags.cells[0] = FlagCode.ServedString + (2 ** 26 - 1) * SlotLayout.OneEvaluation;
    expect(flags.cells[0]).toBeLessThan(2 ** 30);
    expect(countAt(flags.cells, 0)).toBe(FlagCode.ServedString);
    expect(slots(flags)).toEqual([FlagCode.ServedString]);
    expect(countAt(flags.cells, 0)).toBe(FlagCode.ServedString);
    expect(counter.take().evaluations).toEqual({ theme: { total: 1, true: 1, false: 0 } });
  });

  it("stays bounded by the cap when counting in tables: flags past it are not counted", () => {
    const counter = new EvaluationCounter(true);
    for (let i = 0; i < MAX_COUNTED_FLAGS; i++) counter.record(`flag-${i}`, true);
    const store = storeOf(table({ late: true, "flag-1": true }));
    counter.watch(store);
    countAt(store.flags.cells, at(store.flags, "late"));
    countAt(store.flags.cells, at(store.flags, "flag-1"));
    const { evaluations } = counter.take();
    expect(evaluations["late"]).toBeUndefined();
    expect(evaluations["flag-1"]).toEqual({ total: 2, true: 2, false: 0 });
  });
});
