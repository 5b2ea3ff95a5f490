/**
 * A bounded FIFO for events waiting to be sent: a ring buffer, so that dropping the oldest
 * when full, taking a batch from the front and putting a failed batch back at the front cost
 * no shifting and no per-operation allocation beyond the batch itself.
 *
 * @example
 * const queue = new EventQueue<string>(3);
 * queue.push("a"); queue.push("b"); queue.push("c");
 * queue.push("d"); // 1: "a" was dropped
 * const batch = queue.take(2); // ["b", "c"]
 * queue.putBack(batch); // 0 dropped; order is b, c, d again
 */
export class EventQueue<T> {
  private readonly ring: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** Items waiting. */
  get size(): number {
    return this.count;
  }

  /** Appends `item`; when full, drops the oldest first. Returns how many were dropped (0 or 1). */
  push(item: T): number {
    let dropped = 0;
    if (this.count === this.capacity) {
      this.dropFront(1);
      dropped = 1;
    }
    this.ring[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    return dropped;
  }

  /** Removes and returns up to `max` items from the front, oldest first. */
  take(max: number): T[] {
    const n = Math.min(max, this.count);
    const batch = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      const index = (this.head + i) % this.capacity;
      batch[i] = this.ring[index] as T;
      this.ring[index] = undefined;
    }
    this.head = (this.head + n) % this.capacity;
    this.count -= n;
    return batch;
  }

  /**
   * Removes and returns items from the front, oldest first, up to `max` of them and while the sum
   * of `weigh(item)` stays within `budget`; always at least one item when any is waiting (an item
   * over the budget on its own goes alone).
   */
  takeWeighed(max: number, budget: number, weigh: (item: T) => number): T[] {
    let n = 0;
    let total = 0;
    const limit = Math.min(max, this.count);
    while (n < limit) {
      total += weigh(this.ring[(this.head + n) % this.capacity] as T);
      if (n > 0 && total > budget) break;
      n++;
    }
    return this.take(n);
  }

  /**
   * Puts a batch that could not be sent back at the front, ahead of everything queued since, so
   * that order is kept. When that overflows, the oldest (the batch's first items) are dropped.
   * Returns how many were dropped.
   */
  putBack(batch: readonly T[]): number {
    const room = this.capacity - this.count;
    const dropped = Math.max(0, batch.length - room);
    for (let i = batch.length - 1; i >= dropped; i--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.ring[this.head] = batch[i];
      this.count += 1;
    }
    return dropped;
  }

  /** Drops everything; returns how many were dropped. */
  clear(): number {
    const dropped = this.count;
    this.dropFront(this.count);
    return dropped;
  }

  private dropFront(n: number): void {
    for (let i = 0; i < n; i++) this.ring[(this.head + i) % this.capacity] = undefined;
    this.head = (this.head + n) % this.capacity;
    this.count -= n;
  }
}
