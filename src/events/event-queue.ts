/**
 * A bounded FIFO for events waiting to be sent: a ring buffer, so that dropping the oldest
 * when full, taking a batch from the front and putting a failed batch back at the front cost
 * no shifting and no per-operation allocation beyond the batch itself. Bounded in count and,
 * with a `weigh` function, in weight (bytes): past either bound the oldest items go.
 *
 * @example
 * const queue = new EventQueue<string>(3);
 * queue.push("a"); queue.push("b"); queue.push("c");
 * queue.push("d"); // 1: "a" was dropped
 * const batch = queue.take(2); // ["b", "c"]
 * queue.putBack(batch); // 0 dropped; order is b, c, d again
 * const bytes = new EventQueue<string>(100, { weigh: (s) => s.length, max: 4 });
 * bytes.push("ab"); bytes.push("cd"); bytes.push("e"); // 1: "ab" was dropped
 */
export class EventQueue<T> {
  private readonly ring: (T | undefined)[];
  private head = 0;
  private count = 0;
  /** The sum of the weights of the items waiting. */
  private total = 0;
  private readonly weigh: (item: T) => number;
  private readonly maxWeight: number;

  /**
   * @param capacity The most items kept.
   * @param weight The most weight kept (`max`) and each item's weight; the newest item is always
   *   kept, even if it alone weighs more. Without: no bound but the count.
   */
  constructor(
    readonly capacity: number,
    weight?: { readonly weigh: (item: T) => number; readonly max: number },
  ) {
    this.ring = new Array<T | undefined>(capacity).fill(undefined);
    this.weigh = weight?.weigh ?? (() => 0);
    this.maxWeight = weight?.max ?? Number.POSITIVE_INFINITY;
  }

  /** The sum of the weights of the items waiting. */
  get weight(): number {
    return this.total;
  }

  /** Items waiting. */
  get size(): number {
    return this.count;
  }

  /** Appends `item`; when full (in count or weight), drops the oldest first. Returns how many were dropped. */
  push(item: T): number {
    const weight = this.weigh(item);
    let dropped = 0;
    while (this.count > 0 && (this.count === this.capacity || this.total + weight > this.maxWeight)) {
      this.dropFront(1);
      dropped++;
    }
    this.ring[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    this.total += weight;
    return dropped;
  }

  /** Removes and returns up to `max` items from the front, oldest first. */
  take(max: number): T[] {
    const n = Math.min(max, this.count);
    const batch = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      const index = (this.head + i) % this.capacity;
      batch[i] = this.ring[index] as T;
      this.total -= this.weigh(batch[i]!);
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
   * that order is kept. When that overflows (in count or weight), the oldest (the batch's first
   * items) are dropped. Returns how many were dropped.
   */
  putBack(batch: readonly T[]): number {
    let kept = 0;
    let weight = 0;
    // From the newest of the batch back, as many as there is room for.
    for (let i = batch.length - 1; i >= 0; i--) {
      const next = weight + this.weigh(batch[i]!);
      if (this.count + kept === this.capacity || this.total + next > this.maxWeight) break;
      weight = next;
      kept++;
    }
    for (let i = batch.length - 1; i >= batch.length - kept; i--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.ring[this.head] = batch[i];
    }
    this.count += kept;
    this.total += weight;
    return batch.length - kept;
  }

  /** Drops everything; returns how many were dropped. */
  clear(): number {
    const dropped = this.count;
    this.dropFront(this.count);
    return dropped;
  }

  private dropFront(n: number): void {
    for (let i = 0; i < n; i++) {
      const index = (this.head + i) % this.capacity;
      this.total -= this.weigh(this.ring[index] as T);
      this.ring[index] = undefined;
    }
    this.head = (this.head + n) % this.capacity;
    this.count -= n;
  }
}
