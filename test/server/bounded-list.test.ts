import { BoundedList } from "../../src/server/bounded-list";

describe("BoundedList", () => {
  it("keeps the newest entries within the count, in order, trimming the same array in place", () => {
    const list = new BoundedList<number>(3, 1000);
    const items = list.items;
    list.push([1, 2], 1);
    list.push([3, 4, 5], 1);
    expect(list.items).toBe(items);
    expect(items).toEqual([3, 4, 5]);
    expect(list.dropped).toBe(2);
  });

  it("keeps the newest entries within the byte budget", () => {
    const list = new BoundedList<string>(100, 10);
    list.push(["a"], 4);
    list.push(["b"], 4);
    list.push(["c"], 4);
    expect(list.items).toEqual(["b", "c"]);
    list.push(["d", "e"], 1);
    expect(list.items).toEqual(["b", "c", "d", "e"]);
    expect(list.dropped).toBe(1);
  });

  it("only counts an entry larger than the whole budget, keeping the others", () => {
    const list = new BoundedList<string>(100, 10);
    list.push(["a"], 4);
    list.push(["huge"], 11);
    expect(list.items).toEqual(["a"]);
    expect(list.dropped).toBe(1);
  });

  it("clears entries, sizes and the dropped count", () => {
    const list = new BoundedList<string>(1, 10);
    list.push(["a", "b"], 5);
    list.clear();
    expect([list.items, list.dropped]).toEqual([[], 0]);
    list.push(["c"], 10);
    expect(list.items).toEqual(["c"]);
  });
});
