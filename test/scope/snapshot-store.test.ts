import { SnapshotStore, type ChangedKeys } from "../../src/scope/snapshot-store";
import { emptySnapshot, type FlagSnapshot } from "../../src/model/flag-snapshot";
import { frozenFlagState } from "../../src/snapshot/frozen-flag-state";
import type { FlagState } from "../../src/model/flag-state";

const reason = Object.freeze({ kind: "FALLTHROUGH" as const });
const snapshot = (values: Record<string, string>): FlagSnapshot => {
  const flags = new Map<string, FlagState>(Object.entries(values).map(([key, value]) => [key, frozenFlagState("string", true, value, reason)]));
  return { flags, source: "server", fetchedAt: 0, etag: undefined, user: undefined, stale: false };
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
});
