import type { FlagSnapshot } from "../../src/model/flag-snapshot";
import { emptySnapshot } from "../../src/model/flag-snapshot";
import type { FlagState } from "../../src/model/flag-state";
import { FlagTable } from "../../src/model/flag-table";
import { FlagStreams } from "../../src/snapshot/flag-streams";
import { changedKeys } from "../../src/snapshot/changed-keys";

const bool = (enabled: boolean): FlagState => ({ type: "boolean", enabled, value: enabled, reason: { kind: "FALLTHROUGH", inRollout: enabled } });
const json = (value: FlagState["value"], enabled = true): FlagState => ({ type: "json", enabled, value, reason: { kind: "FALLTHROUGH", inRollout: true } });
const snapshot = (entries: [string, FlagState][]): FlagSnapshot => ({ ...emptySnapshot(undefined), flags: FlagTable.of(entries), source: "server" });

describe("changedKeys", () => {
  const cases: ReadonlyArray<[string, [string, FlagState][], [string, FlagState][], string[]]> = [
    ["nothing for identical content", [["a", bool(true)]], [["a", bool(true)]], []],
    ["a flipped boolean", [["a", bool(true)], ["b", bool(false)]], [["a", bool(false)], ["b", bool(false)]], ["a"]],
    ["an added flag", [], [["a", bool(false)]], ["a"]],
    ["a removed flag that served a value", [["a", bool(false)]], [], ["a"]],
    ["nothing for a removed typed flag that served nothing", [["a", json({ x: 1 }, false)]], [], []],
    ["nothing for the same JSON in another key order", [["a", json({ x: 1, y: [1, 2] })]], [["a", json({ y: [1, 2], x: 1 })]], []],
    ["a deep JSON change", [["a", json({ x: { y: 1 } })]], [["a", json({ x: { y: 2 } })]], ["a"]],
    ["a typed flag switched off", [["a", json("v")]], [["a", json("v", false)]], ["a"]],
    ["nothing for a reason-only change", [["a", bool(true)]], [["a", { ...bool(true), reason: { kind: "TARGET_MATCH" } }]], []],
  ];
  it.each(cases)("reports %s", (_name, before, after, expected) => {
    expect(changedKeys(snapshot(before), snapshot(after)).sort()).toEqual(expected);
  });

  it("does no work when the flag map is the same object", () => {
    const s = snapshot([["a", bool(true)]]);
    expect(changedKeys(s, { ...s, stale: true })).toEqual([]);
  });
});

describe("FlagStreams", () => {
  it("emits the current state at once and later only for the watched key", () => {
    let current = snapshot([["a", bool(true)], ["b", bool(true)]]);
    const streams = new FlagStreams(() => current);
    const seen: (boolean | undefined)[] = [];
    streams.watch("a").subscribe((s) => seen.push(s?.enabled));
    current = snapshot([["a", bool(true)], ["b", bool(false)]]);
    streams.notify(["b"], current);
    current = snapshot([["a", bool(false)], ["b", bool(false)]]);
    streams.notify(["a"], current);
    expect(seen).toEqual([true, false]);
  });

  it("touches only the changed key's subscribers, however many watch other keys", () => {
    let current = snapshot(Array.from({ length: 1000 }, (_, i): [string, FlagState] => [`k${i}`, bool(true)]));
    const streams = new FlagStreams(() => current);
    let otherCalls = 0;
    for (let i = 1; i < 1000; i++) streams.watch(`k${i}`).subscribe(() => otherCalls++);
    const baseline = otherCalls;
    const seen: boolean[] = [];
    streams.watch("k0").subscribe((s) => seen.push(s!.enabled));
    current = snapshot([...current.flags].map(([k, v]): [string, FlagState] => [k, k === "k0" ? bool(false) : v]));
    streams.notify(["k0"], current);
    expect(seen).toEqual([true, false]);
    expect(otherCalls).toBe(baseline);
  });

  it("drops a key's subject with its last subscriber and recreates it from the current state", () => {
    let current = snapshot([["a", bool(true)]]);
    const streams = new FlagStreams(() => current);
    const first = streams.watch("a").subscribe();
    const second = streams.watch("a").subscribe();
    expect(streams.watchedKeys).toBe(1);
    first.unsubscribe();
    expect(streams.watchedKeys).toBe(1);
    second.unsubscribe();
    expect(streams.watchedKeys).toBe(0);
    current = snapshot([["a", bool(false)]]);
    const seen: boolean[] = [];
    streams.watch("a").subscribe((s) => seen.push(s!.enabled));
    expect(seen).toEqual([false]);
  });

  it("completes every stream, and later ones at once after their current value", () => {
    const current = snapshot([["a", bool(true)]]);
    const streams = new FlagStreams(() => current);
    let completed = 0;
    streams.watch("a").subscribe({ complete: () => completed++ });
    streams.complete();
    const late: boolean[] = [];
    streams.watch("a").subscribe({ next: (s) => late.push(s!.enabled), complete: () => completed++ });
    expect(completed).toBe(2);
    expect(late).toEqual([true]);
    expect(streams.watchedKeys).toBe(0);
  });
});
