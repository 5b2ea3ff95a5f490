import { SnapshotStore, type ChangedKeys } from "../../src/scope/snapshot-store";
import { emptySnapshot, type FlagSnapshot } from "../../src/model/flag-snapshot";
import { frozenFlagState } from "../../src/snapshot/frozen-flag-state";
import type { FlagState } from "../../src/model/flag-state";
import { FlagTable } from "../../src/model/flag-table";
import { countAt } from "../../src/model/flag-cells";
import { EvaluationCounter } from "../../src/telemetry/evaluation-counter";

const reason = Object.freeze({ kind: "FALLTHROUGH" as const });
const snapshot = (values: Record<string, string>): FlagSnapshot => {
  const flags = new Map<string, FlagState>(Object.entries(values).map(([key, value]) => [key, frozenFlagState("string", true, value, reason)]));
  return { flags: FlagTable.of(flags), source: "server", fetchedAt: 0, etag: undefined, user: undefined, stale: false };
};

/** The snapshot of one scope: replaced whole, its diff computed only for whoever asks. */
describe("SnapshotStore", () => {
  it("hands its owner the changed keys, computed once on first ask", () => {
    const seen: ChangedKeys[] = [];
    const store = new SnapshotStore(emptySnapshot(undefined), (_previous, _next, changed) => seen.push(changed));
    store.apply(snapshot({ a: "1", b: "2" }));
    const changed = store.apply(snapshot({ a: "1", b: "3", c: "4" }));
    expect([...changed()].sort()).toEqual(["b", "c"]);
    expect(changed()).toBe(changed());
    expect(seen[1]).toBe(changed);
    expect([...seen[0]!()].sort()).toEqual(["a", "b"]);
  });

  it("tells a follower the current table at once and each new one before anyone hears of it", () => {
    const first = snapshot({ a: "1" });
    const store = new SnapshotStore(first, () => undefined);
    const told: FlagTable[] = [];
    store.follow((flags) => told.push(flags));
    const heard: boolean[] = [];
    // A subscriber (and the store's owner) that reads through the follower sees the new table.
    store.snapshot$.subscribe((current) => heard.push(told.at(-1) === current.flags));
    const next = [snapshot({ a: "2" }), snapshot({ b: "3", a: "4" })];
    for (const snap of next) store.apply(snap);
    expect(told.map((flags) => [first, ...next].findIndex((snap) => snap.flags === flags))).toEqual([0, 1, 2]);
    expect(heard).toEqual([true, true, true]);
    store.complete();
    store.apply(snapshot({ a: "5" }));
    expect(told).toHaveLength(3);
  });

  it("tells every follower, in the order they came", () => {
    const store = new SnapshotStore(snapshot({ a: "1" }), () => undefined);
    const told: string[] = [];
    for (const name of ["first", "second", "third"]) store.follow((flags) => told.push(`${name} ${flags.get("a")?.value as string}`));
    store.apply(snapshot({ a: "2" }));
    expect(told).toEqual(["first 1", "second 1", "third 1", "first 2", "second 2", "third 2"]);
  });

  it("notifies the subscribers of a changed key only", () => {
    const store = new SnapshotStore(snapshot({ a: "1", b: "2" }), () => undefined);
    const a: unknown[] = [];
    const b: unknown[] = [];
    store.watch("a").subscribe((state) => a.push(state?.value));
    store.watch("b").subscribe((state) => b.push(state?.value));
    store.apply(snapshot({ a: "1", b: "3" }));
    expect(a).toEqual(["1"]);
    expect(b).toEqual(["2", "3"]);
  });

  it("ignores snapshots after complete(), with no changes", () => {
    const store = new SnapshotStore(snapshot({ a: "1" }), () => undefined);
    store.complete();
    expect(store.apply(snapshot({ a: "2" }))()).toEqual([]);
    expect(store.current.flags.get("a")?.value).toBe("1");
  });

  it("serves each applied snapshot's flags from its flags field, as from current", () => {
    const first = snapshot({ a: "1" });
    const store = new SnapshotStore(first, () => undefined);
    expect(store.flags).toBe(first.flags);
    const next = snapshot({ a: "2" });
    store.apply(next);
    expect(store.current).toBe(next);
    expect(store.flags).toBe(next.flags);
  });

  it("counts the keys watched, and on complete() ends every stream while current keeps answering", () => {
    const last = snapshot({ a: "1", b: "2" });
    const store = new SnapshotStore(last, () => undefined);
    expect(store.watchedKeys).toBe(0);
    expect(store.isComplete).toBe(false);
    const ended: string[] = [];
    const snapshots: FlagSnapshot[] = [];
    store.snapshot$.subscribe({ next: (s) => snapshots.push(s), complete: () => ended.push("snapshot$") });
    store.watch("a").subscribe({ complete: () => ended.push("a") });
    store.watch("b").subscribe({ complete: () => ended.push("b") });
    expect(store.watchedKeys).toBe(2);
    store.complete();
    expect(store.isComplete).toBe(true);
    expect(ended.sort()).toEqual(["a", "b", "snapshot$"]);
    expect(snapshots).toEqual([last]);
    expect(store.current).toBe(last);
    expect(store.flags.get("b")?.value).toBe("2");
  });

  it("walks the flags for the diff only when someone asks: a flag$ subscriber, or the owner calling changed()", () => {
    let walks = 0;
    class CountingTable extends FlagTable {
      override [Symbol.iterator](): MapIterator<[string, FlagState]> {
        walks++;
        return super[Symbol.iterator]();
      }
    }
    const counted = (values: Record<string, string>): FlagSnapshot => {
      const { flags } = snapshot(values);
      return { ...snapshot(values), flags: new CountingTable(flags.order, flags.states) };
    };
    const store = new SnapshotStore(snapshot({ a: "1" }), () => undefined);
    const changed = store.apply(counted({ a: "2" }));
    expect(walks).toBe(0);
    expect(changed()).toEqual(["a"]);
    expect(walks).toBe(1);
    // With a subscriber, the store itself asks, to notify it.
    const seen: unknown[] = [];
    store.watch("a").subscribe((state) => seen.push(state?.value));
    store.apply(counted({ a: "3" }));
    expect(walks).toBe(2);
    expect(seen).toEqual(["2", "3"]);
  });

  it("has the evaluation counter gather from it from its creation to complete(), and from each table it replaces", () => {
    const counter = new EvaluationCounter(true);
    const store = new SnapshotStore(snapshot({ a: "1" }), () => undefined, counter);
    const first = store.flags;
    countAt(first.cells, 0);
    expect(counter.peek()).toEqual({ a: { total: 1, true: 1, false: 0 } });
    // A request still holding the replaced table counts in it before the store moves on.
    countAt(first.cells, 0);
    store.apply(snapshot({ a: "2" }));
    countAt(store.flags.cells, 0);
    countAt(store.flags.cells, 0);
    expect(counter.peek()).toEqual({ a: { total: 4, true: 4, false: 0 } });
    countAt(store.flags.cells, 0);
    store.complete();
    // Gathered a last time at complete(), then no more.
    countAt(store.flags.cells, 0);
    expect(counter.take().evaluations).toEqual({ a: { total: 5, true: 5, false: 0 } });
    expect(counter.take().evaluations).toEqual({});
  });
});
