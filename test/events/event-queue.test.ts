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
});
