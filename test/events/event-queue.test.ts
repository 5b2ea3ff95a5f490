import { EventQueue } from "../../src/events/event-queue";

function drain<T>(queue: EventQueue<T>): T[] {
  return queue.take(queue.size);
}

describe("EventQueue", () => {
  it("keeps items in order and takes batches from the front", () => {
    const queue = new EventQueue<number>(5);
    for (let i = 0; i < 4; i++) expect(queue.push(i)).toBe(0);
    expect(queue.take(3)).toEqual([0, 1, 2]);
    queue.push(4);
    queue.push(5);
    expect(queue.size).toBe(3);
    expect(drain(queue)).toEqual([3, 4, 5]);
    expect(queue.take(10)).toEqual([]);
  });

  it("drops the oldest when full and says how many", () => {
    const queue = new EventQueue<number>(3);
    let dropped = 0;
    for (let i = 0; i < 10; i++) dropped += queue.push(i);
    expect(dropped).toBe(7);
    expect(queue.size).toBe(3);
    expect(drain(queue)).toEqual([7, 8, 9]);
  });

  it("puts a failed batch back at the front, ahead of what was queued since", () => {
    const queue = new EventQueue<number>(6);
    for (let i = 0; i < 4; i++) queue.push(i);
    const batch = queue.take(3);
    queue.push(4);
    queue.push(5);
    expect(queue.putBack(batch)).toBe(0);
    expect(drain(queue)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("drops the batch's oldest items when putting it back overflows", () => {
    const queue = new EventQueue<number>(4);
    for (let i = 0; i < 3; i++) queue.push(i);
    const batch = queue.take(3);
    for (let i = 3; i < 5; i++) queue.push(i);
    expect(queue.putBack(batch)).toBe(1);
    expect(drain(queue)).toEqual([1, 2, 3, 4]);
  });

  it("wraps around its ring many times without losing order", () => {
    const queue = new EventQueue<number>(7);
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 5; i++) queue.push(next++);
      const batch = queue.take(3);
      if (round % 3 === 0) queue.putBack(batch);
      else out.push(...batch);
    }
    out.push(...drain(queue));
    // Some rounds overflow and drop the oldest; whatever is left still comes out in order.
    for (let i = 1; i < out.length; i++) expect(out[i]).toBeGreaterThan(out[i - 1]!);
  });

  it("clear() empties it and returns the count", () => {
    const queue = new EventQueue<number>(3);
    queue.push(1);
    queue.push(2);
    expect(queue.clear()).toBe(2);
    expect(queue.size).toBe(0);
    queue.push(3);
    expect(drain(queue)).toEqual([3]);
  });

  describe("with a weight bound", () => {
    const weighed = (capacity: number, max: number) => new EventQueue<string>(capacity, { weigh: (item) => item.length, max });

    it("drops the oldest until the newest fits, and keeps the weight of what waits", () => {
      const queue = weighed(100, 10);
      expect(queue.push("aaaa")).toBe(0);
      expect(queue.push("bbbb")).toBe(0);
      expect(queue.weight).toBe(8);
      expect(queue.push("cccccccc")).toBe(2);
      expect(queue.weight).toBe(8);
      expect(queue.push("dd")).toBe(0);
      expect(queue.weight).toBe(10);
      expect(drain(queue)).toEqual(["cccccccc", "dd"]);
      expect(queue.weight).toBe(0);
    });

    it("keeps a newest item heavier than the bound on its own", () => {
      const queue = weighed(100, 4);
      queue.push("ab");
      expect(queue.push("abcdefgh")).toBe(1);
      expect(queue.size).toBe(1);
      expect(queue.weight).toBe(8);
    });

    it("still bounds the count", () => {
      const queue = weighed(2, 1_000);
      expect(queue.push("a") + queue.push("b") + queue.push("c")).toBe(1);
      expect(drain(queue)).toEqual(["b", "c"]);
    });

    it("puts back as much of a batch as the weight allows, dropping its oldest items", () => {
      const queue = weighed(100, 10);
      for (const item of ["aaa", "bbb", "ccc"]) queue.push(item);
      const batch = queue.take(3);
      expect(queue.weight).toBe(0);
      queue.push("dddd");
      expect(queue.putBack(batch)).toBe(1);
      expect(queue.weight).toBe(10);
      expect(drain(queue)).toEqual(["bbb", "ccc", "dddd"]);
    });

    it("takes weighed batches and clears, keeping the weight right", () => {
      const queue = weighed(100, 100);
      for (const item of ["aa", "bbb", "c", "dddd"]) queue.push(item);
      expect(queue.takeWeighed(10, 5, (item) => item.length)).toEqual(["aa", "bbb"]);
      expect(queue.weight).toBe(5);
      expect(queue.clear()).toBe(2);
      expect(queue.weight).toBe(0);
      expect(queue.push("x".repeat(100))).toBe(0);
    });
  });
});
